package io.wdrf.standalone;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.TenantState;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import io.wdrf.engine.CycleListener;
import io.wdrf.engine.CycleReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns every {@link CycleReport} into Micrometer meters (Prometheus names in the README, "Metrics") and logs each invalid
 * object once, when it first appears.
 */
final class Metrics implements CycleListener {

    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

    private final MeterRegistry registry;
    private final Timer cycleOk;
    private final Timer cycleError;
    private final Counter cyclesOk;
    private final Counter cyclesError;
    private final MultiGauge pending;
    private final MultiGauge admitted;
    private final MultiGauge share;
    private final MultiGauge fairShare;
    private final MultiGauge fairShareDeficit;
    private final MultiGauge maxWait;
    private final MultiGauge invalid;
    private final MultiGauge ignoredInputs;
    private final java.util.EnumMap<io.wdrf.api.TenantInputs.Ignored, Integer> lastIgnored =
            new java.util.EnumMap<>(io.wdrf.api.TenantInputs.Ignored.class);
    private final Map<WriteOutcome, Counter> writes = new EnumMap<>(WriteOutcome.class);
    private final Timer writeLatency;
    private final Counter overrides;
    private final Counter capped;
    private int lastCapped;
    private final AtomicInteger reservationsHeld = new AtomicInteger();
    private final Counter protections;
    private final java.util.concurrent.atomic.AtomicLong evictionsCaused = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger leader = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger();
    private final Set<String> loggedInvalid = new TreeSet<>();
    private final TreeMap<String, Integer> invalidKinds = new TreeMap<>();

    Metrics(MeterRegistry registry) {
        this.registry = registry;
        Timer.Builder cycle = Timer.builder("wdrf.cycle.duration").description("Duration of reconcile cycles")
                .publishPercentiles(0.5, 0.99); // quantile series over a decaying window of about 2 minutes
        cycleOk = cycle.tag("result", "ok").register(registry);
        cycleError = cycle.tag("result", "error").register(registry);
        Counter.Builder cycles = Counter.builder("wdrf.cycles").description("Reconcile cycles by result");
        cyclesOk = cycles.tag("result", "ok").register(registry);
        cyclesError = cycles.tag("result", "error").register(registry);
        pending = MultiGauge.builder("wdrf.workloads.pending").description("Admissible pending workloads per tenant")
                .register(registry);
        admitted = MultiGauge.builder("wdrf.workloads.admitted").description("Workloads holding quota per tenant")
                .register(registry);
        share = MultiGauge.builder("wdrf.tenant.dominant.share")
                .description("Weighted dominant share of each tenant").register(registry);
        fairShare = MultiGauge.builder("wdrf.tenant.fair.share")
                .description("Demand-aware weighted max-min fair dominant share of each tenant (fraction of the cluster)")
                .register(registry);
        fairShareDeficit = MultiGauge.builder("wdrf.tenant.fair.share.deficit")
                .description("Fair share minus held dominant share of each tenant with pending work (0 otherwise)")
                .register(registry);
        maxWait = MultiGauge.builder("wdrf.pending.max.wait").baseUnit("seconds")
                .description("Longest wait of a pending workload per tenant").register(registry);
        invalid = MultiGauge.builder("wdrf.invalid.objects")
                .description("Objects skipped in the last cycle because they are malformed, per kind").register(registry);
        ignoredInputs = MultiGauge.builder("wdrf.tenant.inputs.ignored")
                .description("Pending workloads of the last cycle with a tenant-controlled input WDRF ignored "
                        + "(tenant-inputs: priority-class mapping not granted, namespace weight, unlisted tenant label)")
                .register(registry);
        for (WriteOutcome o : WriteOutcome.values()) {
            writes.put(o, Counter.builder("wdrf.priority.writes").description("Priority writes by outcome")
                    .tag("outcome", o.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        writeLatency = Timer.builder("wdrf.priority.write.latency")
                .description("Time to apply one cycle's priority writes").register(registry);
        overrides = Counter.builder("wdrf.priority.overrides")
                .description("Priorities written by WDRF that someone else changed").register(registry);
        capped = Counter.builder("wdrf.priority.capped")
                .description("Pending priorities lowered by the preemption mode (the workload could otherwise preempt work the mode protects)")
                .register(registry);
        protections = Counter.builder("wdrf.priority.protections")
                .description("Protection priorities sent to admitted workloads (preemption modes classes, fair)")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("wdrf.evictions.caused", evictionsCaused, java.util.concurrent.atomic.AtomicLong::get)
                .description("Evictions of workloads preemption mode fair had made preemptible")
                .register(registry);
        Gauge.builder("wdrf.reservations.held", reservationsHeld, AtomicInteger::get)
                .description("Starvation reservations held (workloads gated with kueue.x-k8s.io/admission-gated-by for them)")
                .register(registry);
        Gauge.builder("wdrf.leader", leader, AtomicInteger::get).description("1 while this replica may write")
                .register(registry);
        Gauge.builder("wdrf.ready", ready, AtomicInteger::get).description("1 while /readyz answers 200")
                .register(registry);
    }

    /** Counts, per kind, the pending workloads whose explanation notes an ignored tenant input; logs changes. */
    private void recordIgnoredInputs(CycleReport r) {
        java.util.EnumMap<io.wdrf.api.TenantInputs.Ignored, Integer> n =
                new java.util.EnumMap<>(io.wdrf.api.TenantInputs.Ignored.class);
        for (io.wdrf.api.TenantInputs.Ignored k : io.wdrf.api.TenantInputs.Ignored.values()) {
            n.put(k, 0);
        }
        for (io.wdrf.api.PriorityDecision d : r.plan().decisions()) {
            for (String note : d.explanation().notes()) {
                for (io.wdrf.api.TenantInputs.Ignored k : io.wdrf.api.TenantInputs.Ignored.values()) {
                    if (note.contains(k.marker())) {
                        n.merge(k, 1, Integer::sum);
                    }
                }
            }
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        n.forEach((k, v) -> rows.add(MultiGauge.Row.of(Tags.of("input",
                k.name().toLowerCase(Locale.ROOT).replace('_', '-')), v)));
        ignoredInputs.register(rows, true);
        if (!n.equals(lastIgnored)) {
            LOG.info("cycle: pending workloads with an ignored tenant input (see tenant-inputs and their explanations): {}",
                    n);
            lastIgnored.clear();
            lastIgnored.putAll(n);
        }
    }

    MeterRegistry registry() {
        return registry;
    }

    void leader(boolean isLeader) {
        leader.set(isLeader ? 1 : 0);
    }

    /** Registers {@code wdrf_reservation_gate_ignored}: 1 once Kueue was seen admitting through WDRF's gate. */
    void reservationGate(java.util.function.BooleanSupplier ignored) {
        Gauge.builder("wdrf.reservation.gate.ignored", ignored, s -> s.getAsBoolean() ? 1 : 0)
                .description("1 once Kueue was seen admitting workloads through WDRF's admission-gated-by gate"
                        + " (Kueue < v0.19 or AdmissionGatedBy off); with starvation.reserve = auto reservations then stop")
                .register(registry);
    }

    void ready(boolean isReady) {
        ready.set(isReady ? 1 : 0);
    }

    /** A writer that records {@code wdrf_priority_write_latency_seconds} around every {@code apply}. */
    PriorityWriter timed(PriorityWriter delegate) {
        return new PriorityWriter() {
            @Override
            public WriteResult apply(List<PriorityUpdate> updates) {
                return writeLatency.record(() -> delegate.apply(updates));
            }

            @Override
            public void recordEvent(WorkloadId workloadId, String reason, String message) {
                delegate.recordEvent(workloadId, reason, message);
            }
        };
    }

    @Override
    public synchronized void onCycle(CycleReport r) {
        long nanos = r.duration() == null ? 0 : r.duration().toNanos();
        (r.ok() ? cycleOk : cycleError).record(nanos, TimeUnit.NANOSECONDS);
        (r.ok() ? cyclesOk : cyclesError).increment();
        leader(r.leader());
        if (!r.ok()) {
            LOG.warn("reconcile cycle failed: {}", r.error());
            return;
        }
        List<MultiGauge.Row<?>> pendingRows = new ArrayList<>();
        List<MultiGauge.Row<?>> admittedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> shareRows = new ArrayList<>();
        List<MultiGauge.Row<?>> fairRows = new ArrayList<>();
        List<MultiGauge.Row<?>> deficitRows = new ArrayList<>();
        Map<String, Double> waits = new TreeMap<>();
        for (TenantState t : r.tenants().values()) {
            Tags tags = Tags.of("tenant", t.name());
            pendingRows.add(MultiGauge.Row.of(tags, t.pending()));
            admittedRows.add(MultiGauge.Row.of(tags, t.admitted()));
            shareRows.add(MultiGauge.Row.of(tags, t.weightedDominantShare()));
            Double fair = r.fairShares().get(t.name());
            if (fair != null) {
                double held = t.weightedDominantShare() * t.weight();
                fairRows.add(MultiGauge.Row.of(tags, fair));
                deficitRows.add(MultiGauge.Row.of(tags, t.pending() > 0 ? Math.max(0, fair - held) : 0.0));
            }
            waits.put(t.name(), 0.0);
        }
        if (r.plan() != null) {
            for (PriorityDecision d : r.plan().decisions()) {
                double s = d.explanation().waited().toMillis() / 1000.0;
                waits.merge(d.explanation().tenant(), s, Math::max);
            }
        }
        List<MultiGauge.Row<?>> waitRows = new ArrayList<>();
        waits.forEach((tenant, s) -> waitRows.add(MultiGauge.Row.of(Tags.of("tenant", tenant), s)));
        pending.register(pendingRows, true);
        admitted.register(admittedRows, true);
        share.register(shareRows, true);
        fairShare.register(fairRows, true);
        fairShareDeficit.register(deficitRows, true);
        maxWait.register(waitRows, true);

        invalidKinds.replaceAll((k, v) -> 0);
        Set<String> current = new TreeSet<>();
        for (InvalidObject o : r.invalid()) {
            invalidKinds.merge(o.kind(), 1, Integer::sum);
            String text = o.toString();
            current.add(text);
            if (!loggedInvalid.contains(text)) {
                LOG.warn("skipping invalid object: {}", text);
            }
        }
        loggedInvalid.retainAll(current);
        loggedInvalid.addAll(current);
        List<MultiGauge.Row<?>> invalidRows = new ArrayList<>();
        invalidKinds.forEach((kind, n) -> invalidRows.add(MultiGauge.Row.of(Tags.of("kind", kind), n)));
        invalid.register(invalidRows, true);

        if (r.plan() != null) {
            recordIgnoredInputs(r);
        }

        if (r.writeResult() != null) {
            for (WriteResult.Item item : r.writeResult().items()) {
                writes.get(item.outcome()).increment();
                if (item.outcome() == WriteOutcome.FAILED) {
                    LOG.warn("priority write to {} failed after {} attempt(s): {}", item.workloadId(), item.attempts(),
                            item.message());
                }
            }
        } else if (!r.updates().isEmpty()) {
            // dry run or not the leader: nothing was sent
            writes.get(WriteOutcome.SKIPPED).increment(r.updates().size());
        }
        if (r.overridesDetected() > 0) {
            overrides.increment(r.overridesDetected());
        }
        if (r.capped() > 0) {
            capped.increment(r.capped());
        }
        if (r.capped() != lastCapped) {
            // the cycle summary says when the preemption mode starts or stops holding priorities down (not every cycle)
            LOG.info("cycle: {} pending priorities capped by the preemption mode (was {}); see the explanation annotations",
                    r.capped(), lastCapped);
            lastCapped = r.capped();
        }
        if (r.protections() > 0) {
            protections.increment(r.protections());
        }
        evictionsCaused.set(Math.max(evictionsCaused.get(), r.evictionsCaused()));
        if (r.ok()) {
            reservationsHeld.set(r.reservationsHeld());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("cycle: policy={} pending={} admitted={} updates={} written={} deferred={} suppressed={} capped={} protections={} leader={} dryRun={} took={}ms",
                    r.policy(), r.pending(), r.admitted(), r.updates().size(),
                    r.writeResult() == null ? 0 : r.writeResult().count(WriteOutcome.WRITTEN), r.deferred(),
                    r.suppressed(), r.capped(), r.protections(), r.leader(), r.dryRun(), nanos / 1_000_000);
        }
    }
}
