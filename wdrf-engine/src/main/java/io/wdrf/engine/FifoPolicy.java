package io.wdrf.engine;

import io.wdrf.api.Explanation;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.TenantState;

import java.util.ArrayList;
import java.util.List;

/**
 * Kueue's default ordering ({@code fifo}): every pending workload gets {@code priorityBase}, so Kueue falls back to
 * its queue-order timestamp (creation or last eviction) and then UID. The baseline for comparisons.
 */
final class FifoPolicy implements PriorityPolicy {

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
        List<PriorityDecision> out = new ArrayList<>(context.pending().size());
        for (PendingWorkload p : context.pending()) {
            TenantState t = context.tenants().get(p.tenant());
            Explanation e = new Explanation(name(), p.tenant(), PolicyConfig.NORMAL, t.weight(), t.weightedDominantShare(),
                    t.dominantResource(), p.level(), p.waited(), 0, 0, 0, 0, 0, null,
                    List.of("equal priorities: Kueue orders by queue-order time, then UID"));
            out.add(new PriorityDecision(p.id(), config.priorityBase(), e));
        }
        return new PriorityPlan(name(), context.now(), out);
    }
}
