package io.wdrf.standalone;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.Workload;
import io.wdrf.hami.HamiAllocations;
import io.wdrf.hami.HamiConfig;
import io.wdrf.hami.HamiDemandModel;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HAMi device gauges, from the pods' {@code hami.io/vgpu-devices-allocated} bookings: {@code wdrf_gpu_allocation_ratio}
 * (mean occupancy of healthy registered cards) and {@code wdrf_gpu_fragmentation_ratio} (share of idle card capacity
 * on cards where no pending workload's per-card request shape fits; see {@link HamiAllocations#fragmentation}).
 */
final class GpuMetrics {

    private final HamiDemandModel model;
    private final AtomicReference<Double> allocation = new AtomicReference<>(0.0);
    private final AtomicReference<Double> fragmentation = new AtomicReference<>(0.0);

    GpuMetrics(MeterRegistry registry, HamiConfig config) {
        this.model = new HamiDemandModel(config).withoutNodeReport(); // the engine's model reports the nodes
        Gauge.builder("wdrf.gpu.allocation.ratio", allocation, AtomicReference::get)
                .description("Mean booked share of healthy HAMi GPU cards (0-1)").register(registry);
        Gauge.builder("wdrf.gpu.fragmentation.ratio", fragmentation, AtomicReference::get)
                .description("Share of idle GPU card capacity that no pending request shape fits (0-1)").register(registry);
    }

    /** Recomputes both gauges from a snapshot; malformed annotations are skipped by the HAMi decoders. */
    void update(ClusterSnapshot snapshot) {
        HamiDemandModel.HamiBound bound = model.bind(snapshot);
        HamiAllocations allocations = bound.allocations();
        List<Workload> pending = snapshot.workloads().stream().filter(Workload::isAdmissible).toList();
        allocation.set(allocations.allocationRate());
        fragmentation.set(allocations.fragmentation(bound.requestShapes(pending)).ratio());
    }
}
