package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.DemandModel;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The WDRF engine: snapshot → demand → context → policy → preemption mode (capped plan + protections). Stateless
 * apart from the policy's own state and, in preemption mode {@code fair}, the eviction ledger; thread-safe when the
 * policy is.
 *
 * <pre>{@code
 * WdrfEngine engine = WdrfEngine.builder().config(PolicyConfig.defaults()).build();
 * Evaluation ev = engine.evaluate(view.snapshot());
 * }</pre>
 */
public final class WdrfEngine {

    private final PolicyConfig config;
    private final PriorityPolicy policy;
    private final DemandModel demandModel;
    private final Clock clock;
    private final ContextBuilder contexts;
    private final PreemptionModes preemption;
    private final FairLedger fairLedger;

    private WdrfEngine(Builder b) {
        this.config = b.config;
        this.demandModel = b.demandModel;
        this.clock = b.clock;
        this.policy = b.policy != null ? b.policy : Policies.create(b.policyName, b.config, b.classLoader);
        new Points(config); // validates that the class bands fit in int32
        this.contexts = new ContextBuilder(config, demandModel);
        this.fairLedger = config.preemption() == io.wdrf.api.PreemptionMode.FAIR ? new FairLedger() : null;
        this.preemption = new PreemptionModes(config, fairLedger);
    }

    /** A builder with defaults: {@link PolicyConfig#defaults()}, policy {@code wdrf}, Kueue demand, UTC system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /** The configured policy. */
    public PriorityPolicy policy() {
        return policy;
    }

    /** The configuration. */
    public PolicyConfig config() {
        return config;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** Evaluates at the clock's current instant. */
    public Evaluation evaluate(ClusterSnapshot snapshot) {
        return evaluate(snapshot, clock.instant());
    }

    /** Evaluates at {@code now}. Malformed objects are skipped and listed in {@link Evaluation#invalid()}. */
    public Evaluation evaluate(ClusterSnapshot snapshot, java.time.Instant now) {
        ContextBuilder.Built built = contexts.build(snapshot, now);
        PriorityPlan raw = policy.evaluate(built.context());
        Map<WorkloadId, Workload> pendingById = new HashMap<>(built.context().pending().size() * 2);
        for (PendingWorkload p : built.context().pending()) {
            pendingById.put(p.id(), p.workload());
        }
        List<InvalidObject> invalid = new ArrayList<>(built.invalid());
        List<PriorityDecision> decisions = new ArrayList<>();
        Set<WorkloadId> seen = new HashSet<>(pendingById.size() * 2);
        for (PriorityDecision d : raw.decisions()) {
            WorkloadId key = d.workloadId();
            if (!pendingById.containsKey(key)) {
                invalid.add(new InvalidObject("PriorityDecision", d.workloadId().namespace(), d.workloadId().name(),
                        "policy " + policy.name() + " decided for a workload that is not pending; ignored"));
                continue;
            }
            seen.add(key);
            String note = built.notes().get(key);
            decisions.add(note == null ? d : new PriorityDecision(d.workloadId(), d.priority(), d.explanation().withNote(note)));
        }
        for (PendingWorkload p : built.context().pending()) {
            if (!seen.contains(p.id())) {
                invalid.add(new InvalidObject("PriorityDecision", p.id().namespace(), p.id().name(),
                        "policy " + policy.name() + " returned no decision for this pending workload; left unchanged"));
            }
        }
        PreemptionModes.Result guarded = preemptionStage(snapshot, now, built, decisions);
        PriorityPlan plan = new PriorityPlan(raw.policy(), raw.evaluatedAt(), guarded.decisions());
        return new Evaluation(built.context(), plan, invalid, built.clusterQueueOf(), guarded.protections(),
                guarded.ceilings(), guarded.capped());
    }

    /** The preemption mode: caps pending decisions, adds protections for admitted workloads (see PreemptionModes). */
    private PreemptionModes.Result preemptionStage(ClusterSnapshot snapshot, java.time.Instant now, ContextBuilder.Built built,
                                                   List<PriorityDecision> decisions) {
        if (fairLedger == null) {
            return preemption.apply(snapshot, now, built.clusterQueueOf(), built.context().pending(), built.admitted(), decisions);
        }
        synchronized (fairLedger) {
            return preemption.apply(snapshot, now, built.clusterQueueOf(), built.context().pending(), built.admitted(), decisions);
        }
    }

    /** Evictions of workloads that preemption mode {@code fair} had made preemptible (0 in other modes). */
    public long evictionsCaused() {
        if (fairLedger == null) {
            return 0;
        }
        synchronized (fairLedger) {
            return fairLedger.evictionsCaused();
        }
    }

    /** Builder. */
    public static final class Builder {
        private PolicyConfig config = PolicyConfig.defaults();
        private PriorityPolicy policy;
        private String policyName = "wdrf";
        private DemandModel demandModel = new KueueDemandModel();
        private Clock clock = Clock.systemUTC();
        private ClassLoader classLoader = WdrfEngine.class.getClassLoader();

        public Builder config(PolicyConfig v) { config = Objects.requireNonNull(v); return this; }
        /** Uses this policy instance (overrides {@link #policy(String)}). */
        public Builder policy(PriorityPolicy v) { policy = v; return this; }
        /** Selects a built-in or plugin policy by name (default {@code wdrf}). */
        public Builder policy(String name) { policyName = Objects.requireNonNull(name); return this; }
        public Builder demandModel(DemandModel v) { demandModel = Objects.requireNonNull(v); return this; }
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }
        /** Class loader searched for plugin policies. */
        public Builder classLoader(ClassLoader v) { classLoader = Objects.requireNonNull(v); return this; }

        /** @throws IllegalArgumentException on an unknown policy or a configuration that overflows int32 */
        public WdrfEngine build() {
            return new WdrfEngine(this);
        }
    }
}
