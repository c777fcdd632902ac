package io.wdrf.hami;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The names one HAMi device vendor uses: container resources, node and pod annotations, and the vendor's built-in
 * defaults. All names are configurable because HAMi's chart lets operators rename them.
 *
 * <p>Presets: {@link #NVIDIA} (HAMi's default device) and {@link #HYGON_DCU}. Other vendors (Cambricon, MetaX,
 * Iluvatar, ...) are configured with {@link #builder(String)}.
 *
 * <p>Promises: never null fields; an empty string means "this vendor has no such resource"
 * ({@code memoryResource}, {@code memoryPercentageResource}, {@code coreResource}); {@code memoryUnitMiB >= 1};
 * {@code defaultCores} in {@code [0, 100]}; {@code extraResources} is unmodifiable.
 *
 * @param name                     short vendor name used in messages (e.g. {@code nvidia})
 * @param countResource            container resource = number of distinct physical cards (e.g. {@code nvidia.com/gpu})
 * @param memoryResource           memory per card, integer in units of {@code memoryUnitMiB} MiB, or empty
 * @param memoryPercentageResource percentage of each card's memory, or empty
 * @param coreResource             percentage of each card's compute, or empty
 * @param memoryUnitMiB            MiB per unit of {@code memoryResource} (NVIDIA/Hygon 1, Cambricon/Iluvatar 256)
 * @param extraResources           further names that carry this vendor's GPU demand in Kueue vectors and are
 *                                 removed by {@link HamiDemandModel} (NVIDIA: {@code nvidia.com/priority},
 *                                 Kueue-transformed {@code nvidia.com/total-gpucores}, {@code nvidia.com/total-gpumem})
 * @param registerAnnotation       node annotation with the device inventory (NVIDIA {@code hami.io/node-nvidia-register})
 * @param allocatedAnnotation      pod annotation with the booked devices (NVIDIA {@code hami.io/vgpu-devices-allocated})
 * @param scheduledNodeAnnotation  pod annotation naming the node HAMi chose ({@code hami.io/vgpu-node}); a pod
 *                                 without it is not accounted by HAMi
 * @param gpuPolicyAnnotation      pod annotation selecting the GPU policy ({@code hami.io/gpu-scheduler-policy});
 *                                 the value {@code mutex} books whole cards
 * @param useTypeAnnotation        pod annotation listing card types to use ({@code nvidia.com/use-gputype}), or empty
 * @param noUseTypeAnnotation      pod annotation listing card types to avoid ({@code nvidia.com/nouse-gputype}), or empty
 * @param defaultCores             the vendor's built-in core default (NVIDIA chart 0, Hygon 100)
 * @param exclusiveDefaulting      whether HAMi's webhook (v2.7+) makes a card exclusive (cores 100) when cores are
 *                                 absent and memory is absent or 100% (NVIDIA only)
 */
public record HamiVendor(String name, String countResource, String memoryResource, String memoryPercentageResource,
                         String coreResource, int memoryUnitMiB, List<String> extraResources,
                         String registerAnnotation, String allocatedAnnotation, String scheduledNodeAnnotation,
                         String gpuPolicyAnnotation, String useTypeAnnotation, String noUseTypeAnnotation,
                         int defaultCores, boolean exclusiveDefaulting) {

    /** HAMi's NVIDIA device with the chart's default names. */
    public static final HamiVendor NVIDIA = builder("nvidia")
            .countResource("nvidia.com/gpu")
            .memoryResource("nvidia.com/gpumem")
            .memoryPercentageResource("nvidia.com/gpumem-percentage")
            .coreResource("nvidia.com/gpucores")
            .extraResources(List.of("nvidia.com/priority", "nvidia.com/total-gpucores", "nvidia.com/total-gpumem"))
            .registerAnnotation("hami.io/node-nvidia-register")
            .allocatedAnnotation("hami.io/vgpu-devices-allocated")
            .useTypeAnnotation("nvidia.com/use-gputype")
            .noUseTypeAnnotation("nvidia.com/nouse-gputype")
            .defaultCores(0)
            .exclusiveDefaulting(true)
            .build();

    /**
     * HAMi's Hygon DCU device: {@code hygon.com/dcunum}, {@code hygon.com/dcumem} (MiB), {@code hygon.com/dcucores}
     * (default 100, so a request without cores books whole cards), register annotation
     * {@code hami.io/node-dcu-register} (legacy comma format), allocation annotation
     * {@code hami.io/dcu-devices-allocated}, type filter {@code hygon.com/use-dcutype}. No memory-percentage resource.
     */
    public static final HamiVendor HYGON_DCU = builder("hygon")
            .countResource("hygon.com/dcunum")
            .memoryResource("hygon.com/dcumem")
            .memoryPercentageResource("")
            .coreResource("hygon.com/dcucores")
            .registerAnnotation("hami.io/node-dcu-register")
            .allocatedAnnotation("hami.io/dcu-devices-allocated")
            .useTypeAnnotation("hygon.com/use-dcutype")
            .defaultCores(100)
            .exclusiveDefaulting(false)
            .build();

    public HamiVendor {
        requireName(name, "name");
        requireName(countResource, "countResource");
        memoryResource = memoryResource == null ? "" : memoryResource;
        memoryPercentageResource = memoryPercentageResource == null ? "" : memoryPercentageResource;
        coreResource = coreResource == null ? "" : coreResource;
        requireName(registerAnnotation, "registerAnnotation");
        requireName(allocatedAnnotation, "allocatedAnnotation");
        requireName(scheduledNodeAnnotation, "scheduledNodeAnnotation");
        gpuPolicyAnnotation = gpuPolicyAnnotation == null ? "" : gpuPolicyAnnotation;
        useTypeAnnotation = useTypeAnnotation == null ? "" : useTypeAnnotation;
        noUseTypeAnnotation = noUseTypeAnnotation == null ? "" : noUseTypeAnnotation;
        extraResources = extraResources == null ? List.of() : List.copyOf(extraResources);
        if (memoryUnitMiB < 1) {
            throw new IllegalArgumentException("hami vendor " + name + ": memoryUnitMiB " + memoryUnitMiB
                    + " must be >= 1");
        }
        if (defaultCores < 0 || defaultCores > 100) {
            throw new IllegalArgumentException("hami vendor " + name + ": defaultCores " + defaultCores
                    + " must be in [0, 100]");
        }
    }

    private static void requireName(String v, String field) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("hami vendor: " + field + " must not be empty");
        }
    }

    /**
     * Every resource name that carries this vendor's GPU demand: count, memory, percentage, cores and the extra
     * names, ascending.
     */
    public SortedSet<String> gpuResources() {
        TreeSet<String> s = new TreeSet<>();
        s.add(countResource);
        for (String r : List.of(memoryResource, memoryPercentageResource, coreResource)) {
            if (!r.isEmpty()) {
                s.add(r);
            }
        }
        s.addAll(extraResources);
        return Collections.unmodifiableSortedSet(s);
    }

    /** A builder starting from NVIDIA-like annotation defaults; every name must be set for a new vendor. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder pre-filled with this vendor's values. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.countResource = countResource;
        b.memoryResource = memoryResource;
        b.memoryPercentageResource = memoryPercentageResource;
        b.coreResource = coreResource;
        b.memoryUnitMiB = memoryUnitMiB;
        b.extraResources = new ArrayList<>(extraResources);
        b.registerAnnotation = registerAnnotation;
        b.allocatedAnnotation = allocatedAnnotation;
        b.scheduledNodeAnnotation = scheduledNodeAnnotation;
        b.gpuPolicyAnnotation = gpuPolicyAnnotation;
        b.useTypeAnnotation = useTypeAnnotation;
        b.noUseTypeAnnotation = noUseTypeAnnotation;
        b.defaultCores = defaultCores;
        b.exclusiveDefaulting = exclusiveDefaulting;
        return b;
    }

    /** Mutable builder of {@link HamiVendor}. */
    public static final class Builder {
        private final String name;
        private String countResource;
        private String memoryResource = "";
        private String memoryPercentageResource = "";
        private String coreResource = "";
        private int memoryUnitMiB = 1;
        private List<String> extraResources = new ArrayList<>();
        private String registerAnnotation;
        private String allocatedAnnotation;
        private String scheduledNodeAnnotation = "hami.io/vgpu-node";
        private String gpuPolicyAnnotation = "hami.io/gpu-scheduler-policy";
        private String useTypeAnnotation = "";
        private String noUseTypeAnnotation = "";
        private int defaultCores;
        private boolean exclusiveDefaulting;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder countResource(String v) { countResource = v; return this; }
        public Builder memoryResource(String v) { memoryResource = v; return this; }
        public Builder memoryPercentageResource(String v) { memoryPercentageResource = v; return this; }
        public Builder coreResource(String v) { coreResource = v; return this; }
        public Builder memoryUnitMiB(int v) { memoryUnitMiB = v; return this; }
        public Builder extraResources(List<String> v) { extraResources = new ArrayList<>(v); return this; }
        public Builder registerAnnotation(String v) { registerAnnotation = v; return this; }
        public Builder allocatedAnnotation(String v) { allocatedAnnotation = v; return this; }
        public Builder scheduledNodeAnnotation(String v) { scheduledNodeAnnotation = v; return this; }
        public Builder gpuPolicyAnnotation(String v) { gpuPolicyAnnotation = v; return this; }
        public Builder useTypeAnnotation(String v) { useTypeAnnotation = v; return this; }
        public Builder noUseTypeAnnotation(String v) { noUseTypeAnnotation = v; return this; }
        public Builder defaultCores(int v) { defaultCores = v; return this; }
        public Builder exclusiveDefaulting(boolean v) { exclusiveDefaulting = v; return this; }

        /** Validates and builds. */
        public HamiVendor build() {
            return new HamiVendor(name, countResource, memoryResource, memoryPercentageResource, coreResource,
                    memoryUnitMiB, extraResources, registerAnnotation, allocatedAnnotation, scheduledNodeAnnotation,
                    gpuPolicyAnnotation, useTypeAnnotation, noUseTypeAnnotation, defaultCores, exclusiveDefaulting);
        }
    }
}
