package io.wdrf.api;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Why a workload got its priority: the factor breakdown, like Slurm's {@code sprio}.
 *
 * <p>Promises: {@code score = classPoints + agingPoints + fairnessPoints} for the built-in policies (plugins may
 * put other factors in {@code factors}); maps and lists are unmodifiable and ordered; {@link #summary()} is a
 * single human-readable line suitable for an annotation.
 *
 * @param policy           name of the policy that decided
 * @param tenant           tenant key value
 * @param workloadClass    honoured class
 * @param tenantWeight     tenant weight
 * @param dominantShare    tenant's weighted dominant share now
 * @param dominantResource resource attaining it (or empty)
 * @param level            progressive-filling level of this workload
 * @param waited             time waited
 * @param ageFactor        quantised min(wait, maxAge)/maxAge
 * @param classPoints      points from the class
 * @param agingPoints      points from waiting
 * @param fairnessPoints   points from fairness (strictly decreasing in level before quantisation)
 * @param score            total points before mapping to int32
 * @param factors          extra named factors (plugin policies, multifactor)
 * @param notes            remarks (e.g. capped by the preemption guard)
 */
public record Explanation(String policy, String tenant, String workloadClass, double tenantWeight,
                          double dominantShare, String dominantResource, double level, Duration waited,
                          double ageFactor, double classPoints, double agingPoints, double fairnessPoints,
                          double score, Map<String, Double> factors, List<String> notes) {

    public Explanation {
        Objects.requireNonNull(policy, "policy");
        tenant = tenant == null ? "" : tenant;
        workloadClass = workloadClass == null ? "" : workloadClass;
        dominantResource = dominantResource == null ? "" : dominantResource;
        waited = waited == null ? Duration.ZERO : waited;
        factors = factors == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(factors));
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /**
     * A builder for a plugin's explanation: every factor starts at zero/empty, so a policy sets only what it uses,
     * e.g. {@code Explanation.builder("sjf").tenant(t).score(s).factor("size", n).build()}.
     */
    public static Builder builder(String policy) {
        return new Builder(policy);
    }

    /** A builder pre-filled with this explanation's values. */
    public Builder toBuilder() {
        Builder b = new Builder(policy);
        b.tenant = tenant;
        b.workloadClass = workloadClass;
        b.tenantWeight = tenantWeight;
        b.dominantShare = dominantShare;
        b.dominantResource = dominantResource;
        b.level = level;
        b.waited = waited;
        b.ageFactor = ageFactor;
        b.classPoints = classPoints;
        b.agingPoints = agingPoints;
        b.fairnessPoints = fairnessPoints;
        b.score = score;
        b.factors.putAll(factors);
        b.notes.addAll(notes);
        return b;
    }

    /** Mutable builder of an {@link Explanation}; {@link #build()} copies. */
    public static final class Builder {
        private final String policy;
        private String tenant = "";
        private String workloadClass = "";
        private double tenantWeight;
        private double dominantShare;
        private String dominantResource = "";
        private double level;
        private Duration waited = Duration.ZERO;
        private double ageFactor;
        private double classPoints;
        private double agingPoints;
        private double fairnessPoints;
        private double score;
        private final Map<String, Double> factors = new TreeMap<>();
        private final List<String> notes = new java.util.ArrayList<>();

        private Builder(String policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        public Builder tenant(String v) { tenant = v; return this; }
        public Builder workloadClass(String v) { workloadClass = v; return this; }
        public Builder tenantWeight(double v) { tenantWeight = v; return this; }
        public Builder dominantShare(double v) { dominantShare = v; return this; }
        public Builder dominantResource(String v) { dominantResource = v; return this; }
        public Builder level(double v) { level = v; return this; }
        public Builder waited(Duration v) { waited = v; return this; }
        public Builder ageFactor(double v) { ageFactor = v; return this; }
        public Builder classPoints(double v) { classPoints = v; return this; }
        public Builder agingPoints(double v) { agingPoints = v; return this; }
        public Builder fairnessPoints(double v) { fairnessPoints = v; return this; }
        public Builder score(double v) { score = v; return this; }
        /** Adds (or replaces) a named factor. */
        public Builder factor(String name, double value) { factors.put(Objects.requireNonNull(name, "name"), value); return this; }
        /** Adds a note. */
        public Builder note(String v) { notes.add(Objects.requireNonNull(v, "note")); return this; }

        public Explanation build() {
            return new Explanation(policy, tenant, workloadClass, tenantWeight, dominantShare, dominantResource, level,
                    waited, ageFactor, classPoints, agingPoints, fairnessPoints, score, factors, notes);
        }
    }

    /** A copy with one more note. */
    public Explanation withNote(String note) {
        List<String> n = new java.util.ArrayList<>(notes);
        n.add(note);
        return new Explanation(policy, tenant, workloadClass, tenantWeight, dominantShare, dominantResource, level,
                waited, ageFactor, classPoints, agingPoints, fairnessPoints, score, factors, n);
    }

    /** One line: policy, class, tenant share, level, age, points. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(policy).append(": class=").append(workloadClass)
                .append(" tenant=").append(tenant)
                .append(String.format(java.util.Locale.ROOT, " weight=%.3g share=%.4f", tenantWeight, dominantShare));
        if (!dominantResource.isEmpty()) {
            b.append('(').append(dominantResource).append(')');
        }
        b.append(String.format(java.util.Locale.ROOT, " level=%.4f wait=%ds age=%.2f points=%.0f+%.0f+%.0f=%.0f",
                level, waited.toSeconds(), ageFactor, classPoints, agingPoints, fairnessPoints, score));
        factors.forEach((k, v) -> b.append(' ').append(k).append('=').append(String.format(java.util.Locale.ROOT, "%.4g", v)));
        for (String n : notes) {
            b.append(" [").append(n).append(']');
        }
        return b.toString();
    }
}
