package io.wdrf.api;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Settings shared by all priority policies, with the seeds' defaults.
 *
 * <p>Promises: immutable and validated at construction, so a policy never sees a negative weight, a zero
 * {@code maxAgingTime} or overlapping class bands; every map is unmodifiable and sorted (never hash-ordered).
 *
 * @param tenantKey              {@code namespace} (default), {@code localQueue}, {@code clusterQueue} or {@code label:<key>}
 * @param tenantWeights          tenant → weight (&gt; 0); missing = 1
 * @param resourceWeights        resource → weight ρ (≥ 0; 0 excludes the resource); missing = 1
 * @param priorityWeights        class → points multiplier: urgent 1000, approved 100, normal 1 (non-negative integers, distinct)
 * @param classNamespaces        class → namespaces allowed to use it ({@code *} = all); classes absent here are allowed everywhere
 * @param priorityClassToClass   WorkloadPriorityClass / PriorityClass name → class
 * @param agingCoefficient       aging points at full age, as a multiple of the fairness range (≥ 0; 0 = no aging)
 * @param maxAgingTime           wait at which the age factor reaches 1 (&gt; 0)
 * @param capacitySource         {@code nodes}, {@code quota} or {@code auto}
 * @param fairnessResolution     fairness points at level 0; sets the quantisation of levels (≥ 100)
 * @param agingSteps             number of quantisation steps of the age factor (≥ 1)
 * @param priorityBase           int32 offset added to every written priority
 * @param preemption             which preemptions WDRF's priorities may cause ({@link PreemptionMode}; default
 *                               {@link PreemptionMode#CLASSES})
 * @param fairPreemption         limits of {@link PreemptionMode#FAIR}
 * @param usageHalfLife          half-life of decayed usage (multifactor policy)
 * @param options                free-form settings for plugin policies
 * @param tenantInputs           which tenant-controlled inputs are honoured ({@link TenantInputs}; default: operator-controlled)
 */
public record PolicyConfig(String tenantKey, Map<String, Double> tenantWeights, Map<String, Double> resourceWeights,
                           Map<String, Long> priorityWeights, Map<String, Set<String>> classNamespaces,
                           Map<String, String> priorityClassToClass, double agingCoefficient, Duration maxAgingTime,
                           String capacitySource, int fairnessResolution, int agingSteps, int priorityBase,
                           PreemptionMode preemption, FairPreemption fairPreemption, Duration usageHalfLife,
                           Map<String, String> options, TenantInputs tenantInputs) {

    /** The class given to workloads with no class marker. */
    public static final String NORMAL = "normal";
    /** The highest built-in class. */
    public static final String URGENT = "urgent";
    /** The middle built-in class. */
    public static final String APPROVED = "approved";

    public PolicyConfig {
        Objects.requireNonNull(tenantKey, "tenantKey");
        TenantKey.parse(tenantKey); // validates: namespace, localQueue, clusterQueue, label:<key>
        tenantWeights = sortedDoubles("tenantWeights", tenantWeights, true);
        resourceWeights = sortedDoubles("resourceWeights", resourceWeights, false);
        priorityWeights = priorityWeights == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(priorityWeights));
        if (!priorityWeights.containsKey(NORMAL)) {
            throw new SettingException("priorityWeights", "class '" + NORMAL + "' must be defined");
        }
        Set<Long> seen = new TreeSet<>();
        for (Map.Entry<String, Long> e : priorityWeights.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 100_000) {
                throw new SettingException("priorityWeights." + e.getKey(), "" + e.getValue()
                        + " must be an integer in [0, 100000]");
            }
            if (!seen.add(e.getValue())) {
                throw new SettingException("priorityWeights." + e.getKey(), "" + e.getValue()
                        + " is used by another class; class weights must differ so that class bands do not overlap");
            }
        }
        Map<String, Set<String>> cn = new TreeMap<>();
        if (classNamespaces != null) {
            classNamespaces.forEach((k, v) -> cn.put(k, Collections.unmodifiableSet(new TreeSet<>(v))));
        }
        classNamespaces = Collections.unmodifiableMap(cn);
        priorityClassToClass = priorityClassToClass == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(priorityClassToClass));
        for (Map.Entry<String, String> e : priorityClassToClass.entrySet()) {
            if (!priorityWeights.containsKey(e.getValue())) {
                throw new SettingException("priorityClassToClass." + e.getKey(), "class '" + e.getValue()
                        + "' is not in priorityWeights " + priorityWeights.keySet());
            }
        }
        if (!(agingCoefficient >= 0) || Double.isInfinite(agingCoefficient) || agingCoefficient > 1000) {
            throw new SettingException("agingCoefficient", "" + agingCoefficient + " must be in [0, 1000]");
        }
        Objects.requireNonNull(maxAgingTime, "maxAgingTime");
        if (maxAgingTime.isNegative() || maxAgingTime.isZero()) {
            throw new SettingException("maxAgingTime", "" + maxAgingTime + " must be positive");
        }
        CapacitySource.parse(capacitySource); // validates: nodes, quota, auto
        if (fairnessResolution < 100 || fairnessResolution > 1_000_000) {
            throw new SettingException("fairnessResolution", "" + fairnessResolution + " must be in [100, 1000000]");
        }
        if (agingSteps < 1 || agingSteps > 1_000_000) {
            throw new SettingException("agingSteps", "" + agingSteps + " must be in [1, 1000000]");
        }
        Objects.requireNonNull(preemption, "preemption");
        Objects.requireNonNull(fairPreemption, "fairPreemption");
        Objects.requireNonNull(usageHalfLife, "usageHalfLife");
        if (usageHalfLife.isNegative() || usageHalfLife.isZero()) {
            throw new SettingException("usageHalfLife", "" + usageHalfLife + " must be positive");
        }
        options = options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options));
        tenantInputs = tenantInputs == null ? TenantInputs.defaults() : tenantInputs;
    }

    private static Map<String, Double> sortedDoubles(String what, Map<String, Double> m, boolean positive) {
        if (m == null) {
            return Map.of();
        }
        TreeMap<String, Double> t = new TreeMap<>();
        for (Map.Entry<String, Double> e : m.entrySet()) {
            double v = e.getValue() == null ? Double.NaN : e.getValue();
            if (Double.isNaN(v) || Double.isInfinite(v) || v < 0 || (positive && v == 0)) {
                throw new SettingException(what + "." + e.getKey(), e.getValue() + " must be "
                        + (positive ? "> 0" : ">= 0") + " and finite");
            }
            t.put(e.getKey(), v);
        }
        return Collections.unmodifiableMap(t);
    }

    /** {@link #tenantKey()} as a type. */
    public TenantKey typedTenantKey() {
        return TenantKey.parse(tenantKey);
    }

    /** {@link #capacitySource()} as a type. */
    public CapacitySource typedCapacitySource() {
        return CapacitySource.parse(capacitySource);
    }

        /** The defaults: namespace tenants, weights 1, urgent/approved/normal = 1000/100/1, 24 h aging, preemption by class. */
    public static PolicyConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tenantKey = tenantKey;
        b.tenantWeights = tenantWeights;
        b.resourceWeights = resourceWeights;
        b.priorityWeights = priorityWeights;
        b.classNamespaces = classNamespaces;
        b.priorityClassToClass = priorityClassToClass;
        b.agingCoefficient = agingCoefficient;
        b.maxAgingTime = maxAgingTime;
        b.capacitySource = capacitySource;
        b.fairnessResolution = fairnessResolution;
        b.agingSteps = agingSteps;
        b.priorityBase = priorityBase;
        b.preemption = preemption;
        b.fairPreemption = fairPreemption;
        b.usageHalfLife = usageHalfLife;
        b.options = options;
        b.tenantInputs = tenantInputs;
        return b;
    }

    /** Weight of a tenant from configuration (1 when not configured). */
    public double tenantWeight(String tenant) {
        return tenantWeights.getOrDefault(tenant, 1.0);
    }

    /**
     * Weight ρ of a resource (1 when not configured). A per-flavor share key {@code resource@flavor} (the engine's
     * dimension for a resource offered in several ResourceFlavors, e.g. {@code nvidia.com/gpu@t4}) has its own
     * weight when configured, else the weight of {@code resource}.
     */
    public double resourceWeight(String resource) {
        Double w = resourceWeights.get(resource);
        if (w != null) {
            return w;
        }
        int at = resource.indexOf('@'); // a per-flavor share key "resource@flavor" falls back to its resource
        return at > 0 ? resourceWeights.getOrDefault(resource.substring(0, at), 1.0) : 1.0;
    }

    /** Builder with the defaults preset. */
    public static final class Builder {
        private String tenantKey = "namespace";
        private Map<String, Double> tenantWeights = Map.of();
        private Map<String, Double> resourceWeights = Map.of();
        private Map<String, Long> priorityWeights = defaultPriorityWeights();
        private Map<String, Set<String>> classNamespaces = Map.of();
        private Map<String, String> priorityClassToClass = Map.of();
        private double agingCoefficient = 0.25;
        private Duration maxAgingTime = Duration.ofHours(24);
        private String capacitySource = "auto";
        private int fairnessResolution = 10_000;
        private int agingSteps = 100;
        private int priorityBase = 0;
        private PreemptionMode preemption = PreemptionMode.CLASSES;
        private FairPreemption fairPreemption = FairPreemption.defaults();
        private Duration usageHalfLife = Duration.ofDays(7);
        private Map<String, String> options = Map.of();
        private TenantInputs tenantInputs = TenantInputs.defaults();

        private static Map<String, Long> defaultPriorityWeights() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put(URGENT, 1000L);
            m.put(APPROVED, 100L);
            m.put(NORMAL, 1L);
            return m;
        }

        public Builder tenantKey(String v) { tenantKey = v; return this; }
        public Builder tenantWeights(Map<String, Double> v) { tenantWeights = v; return this; }
        public Builder resourceWeights(Map<String, Double> v) { resourceWeights = v; return this; }
        public Builder priorityWeights(Map<String, Long> v) { priorityWeights = v; return this; }
        public Builder classNamespaces(Map<String, Set<String>> v) { classNamespaces = v; return this; }
        public Builder priorityClassToClass(Map<String, String> v) { priorityClassToClass = v; return this; }
        public Builder agingCoefficient(double v) { agingCoefficient = v; return this; }
        public Builder maxAgingTime(Duration v) { maxAgingTime = v; return this; }
        public Builder capacitySource(String v) { capacitySource = v; return this; }
        public Builder fairnessResolution(int v) { fairnessResolution = v; return this; }
        public Builder agingSteps(int v) { agingSteps = v; return this; }
        public Builder priorityBase(int v) { priorityBase = v; return this; }
        /** Parses {@code never | classes | fair | allow} ({@code guard} = never, deprecated); throws on anything else. */
        public Builder preemption(String v) { preemption = PreemptionMode.parse(v); return this; }
        public Builder preemption(PreemptionMode v) { preemption = v; return this; }
        public Builder fairPreemption(FairPreemption v) { fairPreemption = v; return this; }
        public Builder usageHalfLife(Duration v) { usageHalfLife = v; return this; }
        public Builder options(Map<String, String> v) { options = v; return this; }
        public Builder tenantInputs(TenantInputs v) { tenantInputs = v; return this; }

        /** @throws IllegalArgumentException naming the setting and the reason when a value is invalid */
        public PolicyConfig build() {
            return new PolicyConfig(tenantKey, tenantWeights, resourceWeights, priorityWeights, classNamespaces,
                    priorityClassToClass, agingCoefficient, maxAgingTime, capacitySource, fairnessResolution,
                    agingSteps, priorityBase, preemption, fairPreemption, usageHalfLife, options, tenantInputs);
        }
    }
}
