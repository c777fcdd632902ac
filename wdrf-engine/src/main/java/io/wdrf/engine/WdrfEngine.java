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
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The WDRF engine: snapshot → demand → context → policy → preemption mode (capped plan + protections). Thread-safe
 * when the policy is; apart from the policy's own state it keeps the demand cache and, in preemption mode
 * {@code fair}, the eviction ledger.
 *
 * <p>Incremental: the demand, usage and capacity vectors of each object version are computed once and reused while
 * the object is unchanged (see {@link DemandModel#reuseScope}); everything else (usage per tenant, shares, levels,
 * scores, order) is recomputed from those vectors each cycle, so the plan is the one a fresh engine would compute
 * for the same snapshot. The cache holds only objects of the last evaluated snapshot.
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
    private final IncrementalContext contexts;
    private final PreemptionModes preemption;
    private final FairLedger fairLedger;
    private final DemandCache demandCache;
    /** Whether a cycle's result may be reused for an unchanged context (see {@link Memo}). */
    private final boolean memoizable;
    private Memo memo;

    private WdrfEngine(Builder b) {
        this.config = b.config;
        this.demandModel = b.demandModel;
        this.clock = b.clock;
        this.policy = b.policy != null ? b.policy : Policies.create(b.policyName, b.config, b.classLoader);
        new Points(config); // validates that the class bands fit in int32
        this.demandCache = new DemandCache(demandModel);
        this.contexts = new IncrementalContext(config, demandCache, b.incrementalFrom);
        this.fairLedger = config.preemption() == io.wdrf.api.PreemptionMode.FAIR ? new FairLedger() : null;
        this.preemption = new PreemptionModes(config, fairLedger);
        this.memoizable = policy instanceof BuiltInPolicy && fairLedger == null;
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
        ContextBuilder.Built built;
        Evaluation reused = null;
        long cycle;
        synchronized (demandCache) {
            built = contexts.build(snapshot, now);
            cycle = contexts.cycles();
            Memo m = memo;
            memo = null;
            if (m != null && m.cycle == cycle - 1 && contexts.unchanged() && m.now.equals(now)) {
                // nothing changed since the last cycle, and a built-in policy and a stateless preemption mode are
                // functions of the context: the last plan, errors and protections are this cycle's
                reused = new Evaluation(built.context(), m.result.plan(), m.result.invalid(), built.clusterQueueOf(),
                        m.result.protections(), m.result.ceilings(), m.result.capped());
                memo = new Memo(cycle, now, m.result);
            }
        }
        if (reused != null) {
            return reused;
        }
        List<PendingWorkload> pending = built.context().pending();
        PriorityPlan raw = policy.evaluate(built.context());
        List<InvalidObject> invalid = new ArrayList<>(built.invalid());
        List<PriorityDecision> decisions = raw.decisions();
        // a built-in policy decides once per pending workload (the plan's ids are unique): nothing to check
        boolean trusted = policy instanceof BuiltInPolicy && decisions.size() == pending.size();
        PendingIndex index = trusted ? null : new PendingIndex(pending);
        List<PriorityDecision> changed = null; // copy-on-write: the raw plan is reused when nothing needs changing
        int matched = 0;
        Map<WorkloadId, String> notes = built.notes();
        int from = 0;
        if (trusted && notes.isEmpty()) { // one decision per pending workload, nothing to add: nothing to look at
            matched = decisions.size();
            from = decisions.size();
        }
        for (int i = from; i < decisions.size(); i++) {
            PriorityDecision d = decisions.get(i);
            WorkloadId key = d.workloadId();
            if (!trusted && !index.contains(key)) {
                invalid.add(new InvalidObject("PriorityDecision", key.namespace(), key.name(),
                        "policy " + policy.name() + " decided for a workload that is not pending; ignored"));
                changed = copyUpTo(changed, decisions, i);
                continue;
            }
            matched++;
            String note = notes.isEmpty() ? null : notes.get(key);
            PriorityDecision out = note == null ? d
                    : new PriorityDecision(d.workloadId(), d.priority(), d.explanation().withNote(note));
            if (out != d) {
                changed = copyUpTo(changed, decisions, i);
            }
            if (changed != null) {
                changed.add(out);
            }
        }
        if (matched != pending.size()) { // plan ids are unique, so some pending workload got no decision
            java.util.Set<WorkloadId> seen = new java.util.HashSet<>(matched * 2);
            for (PriorityDecision d : decisions) {
                seen.add(d.workloadId());
            }
            for (PendingWorkload p : pending) {
                if (!seen.contains(p.id())) {
                    invalid.add(new InvalidObject("PriorityDecision", p.id().namespace(), p.id().name(),
                            "policy " + policy.name() + " returned no decision for this pending workload; left unchanged"));
                }
            }
        }
        List<PriorityDecision> current = changed != null ? changed : decisions;
        PreemptionModes.Result guarded = preemptionStage(snapshot, now, built, current);
        if (guarded.decisions() != current) {
            current = guarded.decisions();
            changed = current;
        }
        PriorityPlan plan = changed == null ? raw
                : new PriorityPlan(raw.policy(), raw.evaluatedAt(), current);
        Evaluation result = new Evaluation(built.context(), plan, invalid, built.clusterQueueOf(), guarded.protections(),
                guarded.ceilings(), guarded.capped());
        if (memoizable) {
            synchronized (demandCache) {
                if (contexts.cycles() == cycle) { // no other cycle ran meanwhile
                    memo = new Memo(cycle, now, result);
                }
            }
        }
        return result;
    }

    /** The last cycle's result, reused while nothing changes (built-in policies, stateless preemption modes only). */
    private record Memo(long cycle, java.time.Instant now, Evaluation result) {
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

    private static List<PriorityDecision> copyUpTo(List<PriorityDecision> changed, List<PriorityDecision> all, int i) {
        return changed != null ? changed : new ArrayList<>(all.subList(0, i));
    }

    /** Number of workload and node vectors held by the demand cache (for tests: bounded by the last snapshot). */
    int cachedObjects() {
        synchronized (demandCache) {
            return demandCache.workloadEntries() + demandCache.nodeEntries();
        }
    }

    DemandCache demandCache() {
        return demandCache;
    }

    IncrementalContext incrementalContext() {
        return contexts;
    }

    /** Builder. */
    public static final class Builder {
        private PolicyConfig config = PolicyConfig.defaults();
        private PriorityPolicy policy;
        private String policyName = "wdrf";
        private DemandModel demandModel = new KueueDemandModel();
        private Clock clock = Clock.systemUTC();
        private ClassLoader classLoader = WdrfEngine.class.getClassLoader();
        private int incrementalFrom = IncrementalContext.DEFAULT_INCREMENTAL_FROM;

        public Builder config(PolicyConfig v) { config = Objects.requireNonNull(v); return this; }
        /** Uses this policy instance (overrides {@link #policy(String)}). */
        public Builder policy(PriorityPolicy v) { policy = v; return this; }
        /** Selects a built-in or plugin policy by name (default {@code wdrf}). */
        public Builder policy(String name) { policyName = Objects.requireNonNull(name); return this; }
        public Builder demandModel(DemandModel v) { demandModel = Objects.requireNonNull(v); return this; }
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }
        /** Class loader searched for plugin policies. */
        public Builder classLoader(ClassLoader v) { classLoader = Objects.requireNonNull(v); return this; }

        /**
         * Workloads from which a snapshot's context is built incrementally (for tests of the incremental builder at
         * small sizes: 0 builds every snapshot incrementally). The result is the same either way.
         */
        Builder incrementalFrom(int workloads) { incrementalFrom = workloads; return this; }

        /** @throws IllegalArgumentException on an unknown policy or a configuration that overflows int32 */
        public WdrfEngine build() {
            return new WdrfEngine(this);
        }
    }
}
