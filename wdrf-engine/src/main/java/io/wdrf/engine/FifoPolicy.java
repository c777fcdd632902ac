package io.wdrf.engine;

import io.wdrf.api.Explanation;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.TenantState;

import java.util.List;

/**
 * Kueue's default ordering ({@code fifo}): every pending workload gets {@code priorityBase}, so Kueue falls back to
 * its queue-order timestamp (creation or last eviction) and then UID. The baseline for comparisons.
 */
final class FifoPolicy implements BuiltInPolicy {

    private final PolicyConfig config;

    FifoPolicy(PolicyConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "fifo";
    }

    @Override
    public PriorityPlan evaluate(PolicyContext context) {
        List<PendingWorkload> pending = context.pending();
        PriorityDecision[] out = new PriorityDecision[pending.size()];
        List<String> notes = List.of("equal priorities: Kueue orders by queue-order time, then UID");
        TenantState t = null;
        for (int i = 0; i < out.length; i++) {
            PendingWorkload p = pending.get(i);
            if (t == null || !t.name().equals(p.tenant())) {
                t = context.tenants().get(p.tenant());
            }
            Explanation e = new Explanation(name(), p.tenant(), PolicyConfig.NORMAL, t.weight(), t.weightedDominantShare(),
                    t.dominantResource(), p.level(), p.waited(), 0, 0, 0, 0, 0, null, notes);
            out[i] = new PriorityDecision(p.id(), config.priorityBase(), e);
        }
        return PriorityPlan.ofPending(name(), context, java.util.Arrays.asList(out));
    }
}
