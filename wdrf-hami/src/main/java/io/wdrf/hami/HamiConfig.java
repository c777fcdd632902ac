package io.wdrf.hami;

import io.wdrf.api.SettingException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Settings of HAMi GPU-fraction accounting for one vendor.
 *
 * <p>Defaults ({@link #defaults()} / {@link #builder(HamiVendor)}) match HAMi's Helm chart for NVIDIA:
 * <ul>
 *   <li>{@code fractionResource = "hami.io/gpu"}: the single resource name {@link HamiDemandModel} puts into demand,
 *       usage and capacity vectors; its unit is physical cards ({@code 1.0} = one whole card; {@code 0.25} = a quarter
 *       of one card's memory or compute, whichever is larger).</li>
 *   <li>{@code defaultMemoryMiB = 0}: a container without memory request books 100% of each card (HAMi
 *       {@code defaultMemory}); a non-zero value books that many MiB instead.</li>
 *   <li>{@code defaultCores}: the vendor's preset (NVIDIA 0 = no compute reservation, Hygon 100).</li>
 *   <li>{@code defaultGpuNum = 1}: the card count HAMi's webhook adds when a container gives memory/percentage/cores
 *       but no count; {@code 0} disables that defaulting (the container then has no GPU request, as in HAMi).</li>
 *   <li>{@code memoryFactor = 1}: memory requests are multiplied by it (HAMi v2.8+ {@code memoryFactor}).</li>
 *   <li>{@code splitCount = 10}: slots per physical card ({@code deviceSplitCount}); used only when
 *       {@code slotFloor} is on and for legacy defaults.</li>
 *   <li>{@code slotFloor = false}: when true, every card slice costs at least {@code 1 / splitCount} of a card
 *       (each task takes one of the card's slots).</li>
 *   <li>{@code exclusiveDefaulting}: the vendor's preset (NVIDIA true: HAMi ≥ v2.7 webhook; set false to model
 *       older HAMi, where a count-only request books 100% memory but 0 cores — which is still a whole card).</li>
 *   <li>{@code fallbackCardMemoryMiB = 16384}: card memory used for a MiB request when no node of the workload's
 *       flavor registers any healthy card (e.g. GPU nodes scaled to zero). Deliberately a small common card so the
 *       estimate is conservative (a larger fraction).</li>
 * </ul>
 *
 * @param vendor                resource and annotation names
 * @param fractionResource      name of the GPU-fraction resource (default {@code hami.io/gpu})
 * @param defaultMemoryMiB      HAMi {@code defaultMemory} in MiB, {@code >= 0}
 * @param defaultCores          HAMi {@code defaultCores}, {@code [0, 100]}
 * @param defaultGpuNum         HAMi {@code defaultGPUNum}, {@code >= 0}
 * @param memoryFactor          HAMi {@code memoryFactor}, {@code >= 1}
 * @param splitCount            HAMi {@code deviceSplitCount}, {@code >= 1}
 * @param slotFloor             charge at least one slot ({@code 1/splitCount}) per card slice
 * @param exclusiveDefaulting   apply HAMi's v2.7+ exclusive-card webhook default
 * @param fallbackCardMemoryMiB card memory when none is registered for the workload's flavor, {@code > 0}
 */
public record HamiConfig(HamiVendor vendor, String fractionResource, long defaultMemoryMiB, int defaultCores,
                         int defaultGpuNum, int memoryFactor, int splitCount, boolean slotFloor,
                         boolean exclusiveDefaulting, long fallbackCardMemoryMiB) {

    /** The default GPU-fraction resource name. */
    public static final String DEFAULT_FRACTION_RESOURCE = "hami.io/gpu";

    public HamiConfig {
        Objects.requireNonNull(vendor, "hami.vendor must be set");
        if (fractionResource == null || fractionResource.isBlank()) {
            throw new SettingException("hami.fractionResource", "must not be empty");
        }
        if (vendor.gpuResources().contains(fractionResource)) {
            throw new SettingException("hami.fractionResource", "'" + fractionResource
                    + "' is one of the vendor's own resources, which are removed from vectors");
        }
        if (defaultMemoryMiB < 0) {
            throw new SettingException("hami.defaultMemoryMiB", "" + defaultMemoryMiB + " must be >= 0");
        }
        if (defaultCores < 0 || defaultCores > 100) {
            throw new SettingException("hami.defaultCores", "" + defaultCores + " must be in [0, 100]");
        }
        if (defaultGpuNum < 0) {
            throw new SettingException("hami.defaultGpuNum", "" + defaultGpuNum + " must be >= 0");
        }
        if (memoryFactor < 1) {
            throw new SettingException("hami.memoryFactor", "" + memoryFactor + " must be >= 1");
        }
        if (splitCount < 1) {
            throw new SettingException("hami.splitCount", "" + splitCount + " must be >= 1");
        }
        if (fallbackCardMemoryMiB <= 0 || fallbackCardMemoryMiB > Integer.MAX_VALUE) {
            throw new SettingException("hami.fallbackCardMemoryMiB", "" + fallbackCardMemoryMiB
                    + " must be > 0 and <= " + Integer.MAX_VALUE);
        }
    }

    /**
     * Resource weights ({@code RESOURCE_WEIGHTS} / {@code wdrf.resource-weights}) as they apply under HAMi accounting,
     * where the vendor's resources no longer appear in vectors.
     *
     * @param effective the weights to use: the vendor's resources removed, the fraction resource set
     * @param notes     one human-readable line per vendor resource that was folded, naming the effective weight
     */
    public record FoldedWeights(Map<String, Double> effective, List<String> notes) {
        public FoldedWeights {
            effective = java.util.Collections.unmodifiableMap(new TreeMap<>(effective));
            notes = List.copyOf(notes);
        }
    }

    /**
     * Folds weights given for the vendor's resources into the fraction resource. Rule: the weight of the count
     * resource ({@code nvidia.com/gpu}) becomes the weight of {@link #fractionResource()} unless that has a weight of
     * its own; weights of the memory, percentage, core and extra resources have no separate effect (a card's share
     * is already max(memory fraction, cores/100)) and are reported as folded, with the effective weight.
     */
    public FoldedWeights foldResourceWeights(Map<String, Double> weights) {
        TreeMap<String, Double> out = new TreeMap<>(weights);
        List<String> notes = new java.util.ArrayList<>();
        Set<String> vendorNames = vendor.gpuResources();
        Double explicit = weights.get(fractionResource);
        Double count = weights.get(vendor.countResource());
        double effective = explicit != null ? explicit : count != null ? count : 1.0;
        String effectiveText = fractionResource + " weight " + fmt(effective)
                + (explicit != null ? " (given for " + fractionResource + ")"
                : count != null ? " (from " + vendor.countResource() + ")" : " (default)");
        if (explicit == null && count != null) {
            out.put(fractionResource, count);
        }
        for (String r : new TreeSet<>(weights.keySet())) {
            if (!vendorNames.contains(r)) {
                continue;
            }
            out.remove(r);
            double w = weights.get(r);
            if (r.equals(vendor.countResource()) && explicit == null) {
                notes.add("resource weight " + r + "=" + fmt(w) + " applies to " + fractionResource
                        + " (physical GPU cards under HAMi accounting)");
            } else if (r.equals(vendor.countResource())) {
                notes.add("resource weight " + r + "=" + fmt(w) + " is not used: " + effectiveText);
            } else {
                notes.add("resource weight " + r + "=" + fmt(w) + " is folded into " + fractionResource
                        + " (a card's share is max(memory fraction, cores/100)); effective " + effectiveText);
            }
        }
        return new FoldedWeights(out, notes);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** NVIDIA with HAMi's chart defaults. */
    public static HamiConfig defaults() {
        return builder(HamiVendor.NVIDIA).build();
    }

    /** A builder with chart defaults and the vendor's presets. */
    public static Builder builder(HamiVendor vendor) {
        return new Builder(vendor);
    }

    /** Keys accepted by {@link #fromSettings(Map)}. */
    public static final Set<String> SETTING_KEYS = Set.copyOf(new TreeSet<>(List.of("vendor", "countResource",
            "memoryResource", "memoryPercentageResource", "coreResource", "memoryUnitMiB", "extraResources",
            "registerAnnotation", "allocatedAnnotation", "scheduledNodeAnnotation", "gpuPolicyAnnotation",
            "useTypeAnnotation", "noUseTypeAnnotation", "vendorDefaultCores", "fractionResource", "defaultMemoryMiB",
            "defaultCores", "defaultGpuNum", "memoryFactor", "splitCount", "slotFloor", "exclusiveDefaulting",
            "fallbackCardMemoryMiB")));

    /**
     * Builds a configuration from flat string settings (e.g. the {@code wdrf.hami} block of a config file), so a
     * launcher needs no knowledge of this record. {@code vendor} selects the preset ({@code nvidia}, default, or
     * {@code hygon}); every other key of {@link #SETTING_KEYS} overrides one field ({@code extraResources} is a
     * comma-separated list, booleans are {@code true}/{@code false}).
     *
     * @throws IllegalArgumentException {@code hami.<key>: <value> <reason>} for an unknown key or a bad value
     */
    public static HamiConfig fromSettings(Map<String, String> settings) {
        Map<String, String> s = new TreeMap<>(settings);
        for (String k : s.keySet()) {
            if (!SETTING_KEYS.contains(k)) {
                throw new SettingException("hami." + k, "unknown setting (known: "
                        + new TreeSet<>(SETTING_KEYS) + ")");
            }
        }
        String vendorName = s.getOrDefault("vendor", "nvidia").strip().toLowerCase(Locale.ROOT);
        HamiVendor preset = switch (vendorName) {
            case "nvidia" -> HamiVendor.NVIDIA;
            case "hygon", "dcu" -> HamiVendor.HYGON_DCU;
            default -> throw new SettingException("hami.vendor", "'" + s.get("vendor")
                    + "' is not a preset (nvidia, hygon); configure names on top of one of them");
        };
        HamiVendor.Builder vb = preset.toBuilder();
        ifSet(s, "countResource", vb::countResource);
        ifSet(s, "memoryResource", vb::memoryResource);
        ifSet(s, "memoryPercentageResource", vb::memoryPercentageResource);
        ifSet(s, "coreResource", vb::coreResource);
        ifSet(s, "registerAnnotation", vb::registerAnnotation);
        ifSet(s, "allocatedAnnotation", vb::allocatedAnnotation);
        ifSet(s, "scheduledNodeAnnotation", vb::scheduledNodeAnnotation);
        ifSet(s, "gpuPolicyAnnotation", vb::gpuPolicyAnnotation);
        ifSet(s, "useTypeAnnotation", vb::useTypeAnnotation);
        ifSet(s, "noUseTypeAnnotation", vb::noUseTypeAnnotation);
        if (s.containsKey("memoryUnitMiB")) {
            vb.memoryUnitMiB((int) integer(s, "memoryUnitMiB"));
        }
        if (s.containsKey("vendorDefaultCores")) {
            vb.defaultCores((int) integer(s, "vendorDefaultCores"));
        }
        if (s.containsKey("extraResources")) {
            List<String> extra = new java.util.ArrayList<>();
            for (String r : s.get("extraResources").split(",")) {
                if (!r.isBlank()) {
                    extra.add(r.strip());
                }
            }
            vb.extraResources(extra);
        }
        Builder b = builder(vb.build());
        ifSet(s, "fractionResource", b::fractionResource);
        if (s.containsKey("defaultMemoryMiB")) {
            b.defaultMemoryMiB(integer(s, "defaultMemoryMiB"));
        }
        if (s.containsKey("defaultCores")) {
            b.defaultCores((int) integer(s, "defaultCores"));
        }
        if (s.containsKey("defaultGpuNum")) {
            b.defaultGpuNum((int) integer(s, "defaultGpuNum"));
        }
        if (s.containsKey("memoryFactor")) {
            b.memoryFactor((int) integer(s, "memoryFactor"));
        }
        if (s.containsKey("splitCount")) {
            b.splitCount((int) integer(s, "splitCount"));
        }
        if (s.containsKey("slotFloor")) {
            b.slotFloor(bool(s, "slotFloor"));
        }
        if (s.containsKey("exclusiveDefaulting")) {
            b.exclusiveDefaulting(bool(s, "exclusiveDefaulting"));
        }
        if (s.containsKey("fallbackCardMemoryMiB")) {
            b.fallbackCardMemoryMiB(integer(s, "fallbackCardMemoryMiB"));
        }
        return b.build();
    }

    private static void ifSet(Map<String, String> s, String key, java.util.function.Consumer<String> setter) {
        String v = s.get(key);
        if (v != null) {
            setter.accept(v.strip());
        }
    }

    private static long integer(Map<String, String> s, String key) {
        String v = s.get(key).strip();
        try {
            long n = Long.parseLong(v);
            if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SettingException("hami." + key, "'" + v + "' is not an int32 integer");
        }
    }

    private static boolean bool(Map<String, String> s, String key) {
        String v = s.get(key).strip();
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw new SettingException("hami." + key, "'" + v + "' is not true or false");
    }

    /** A builder pre-filled with this configuration. */
    public Builder toBuilder() {
        return new Builder(vendor).fractionResource(fractionResource).defaultMemoryMiB(defaultMemoryMiB)
                .defaultCores(defaultCores).defaultGpuNum(defaultGpuNum).memoryFactor(memoryFactor)
                .splitCount(splitCount).slotFloor(slotFloor).exclusiveDefaulting(exclusiveDefaulting)
                .fallbackCardMemoryMiB(fallbackCardMemoryMiB);
    }

    /** Mutable builder of {@link HamiConfig}. */
    public static final class Builder {
        private final HamiVendor vendor;
        private String fractionResource = DEFAULT_FRACTION_RESOURCE;
        private long defaultMemoryMiB;
        private int defaultCores;
        private int defaultGpuNum = 1;
        private int memoryFactor = 1;
        private int splitCount = 10;
        private boolean slotFloor;
        private boolean exclusiveDefaulting;
        private long fallbackCardMemoryMiB = 16384;

        private Builder(HamiVendor vendor) {
            this.vendor = Objects.requireNonNull(vendor, "vendor");
            this.defaultCores = vendor.defaultCores();
            this.exclusiveDefaulting = vendor.exclusiveDefaulting();
        }

        public Builder fractionResource(String v) { fractionResource = v; return this; }
        public Builder defaultMemoryMiB(long v) { defaultMemoryMiB = v; return this; }
        public Builder defaultCores(int v) { defaultCores = v; return this; }
        public Builder defaultGpuNum(int v) { defaultGpuNum = v; return this; }
        public Builder memoryFactor(int v) { memoryFactor = v; return this; }
        public Builder splitCount(int v) { splitCount = v; return this; }
        public Builder slotFloor(boolean v) { slotFloor = v; return this; }
        public Builder exclusiveDefaulting(boolean v) { exclusiveDefaulting = v; return this; }
        public Builder fallbackCardMemoryMiB(long v) { fallbackCardMemoryMiB = v; return this; }

        /** Validates and builds; throws {@link IllegalArgumentException} naming the key and the reason. */
        public HamiConfig build() {
            return new HamiConfig(vendor, fractionResource, defaultMemoryMiB, defaultCores, defaultGpuNum,
                    memoryFactor, splitCount, slotFloor, exclusiveDefaulting, fallbackCardMemoryMiB);
        }
    }
}
