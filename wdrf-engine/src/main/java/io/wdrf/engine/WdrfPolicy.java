package io.wdrf.engine;

import io.wdrf.api.Explanation;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.TenantState;
import io.wdrf.api.WorkloadId;

import java.util.List;

/**
 * Weighted DRF with aging and classes ({@code wdrf}); with {@code aging=false, classes=false} it is plain weighted
 * DRF ({@code drf}). See {@link Points} for the formulas.
 */
final class WdrfPolicy implements BuiltInPolicy {

    private final String name;
    private final Points points;
    private final boolean aging;
    private final boolean classes;

    WdrfPolicy(String name, PolicyConfig config, boolean aging, boolean classes) {
        this.name = name;
        this.points = new Points(config);
        this.aging = aging;
        this.classes = classes;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The last evaluation's pending workloads (id order), their workload objects and ids, and the decisions. A decision
     * depends only on its pending workload and its tenant's state, so for the very same {@link PendingWorkload} object
     * under the very same {@link TenantState} object it is reused (the engine's context builder hands out the last
     * cycle's objects for unchanged workloads). At a later instant every positive wait moved, so most pending
     * workloads are new objects for the same workload objects: those are decided again, but paired with the last
     * evaluation by the identity of the workload (read from {@code workloads}, an array, not from the old objects),
     * which gives their id without reading the workload and lets the plan sort from the last order. Immutable once
     * published; holds one cycle.
     */
    private record Memo(List<PendingWorkload> pending, Object[] workloads, WorkloadId[] ids,
                        PriorityDecision[] decisions, String[] tenantAt, java.util.Map<String, TenantState> tenants,
                        PriorityPlan plan) {
    }

    private static final Object[] NONE = new Object[0];
    private static final WorkloadId[] NO_IDS = new WorkloadId[0];

    private volatile Memo memo;

    @Override
    public PriorityPlan evaluate(PolicyContext context) {
        List<PendingWorkload> pending = context.pending();
        PriorityDecision[] out = new PriorityDecision[pending.size()];
        Memo m = memo;
        List<PendingWorkload> before = m == null ? List.of() : m.pending();
        Object[] lastWorkloads = m == null ? NONE : m.workloads();
        WorkloadId[] lastIds = m == null ? NO_IDS : m.ids();
        int j = 0;
        String cls = PolicyConfig.NORMAL;
        long classPts = classes ? points.classPoints(cls) : 0;
        TenantState t = null;
        boolean sameTenant = false;
        String[] tenantAt = new String[out.length];
        Object[] workloads = new Object[out.length];
        WorkloadId[] ids = new WorkloadId[out.length];
        // compared as Objects: a cast would read every workload's header, and at 100k pending that visit is the cost
        List<?> now = pending;
        List<?> last = before;
        int lastSize = last.size();
        for (int i = 0; i < out.length; i++) {
            Object o = now.get(i);
            boolean same = j < lastSize && last.get(j) == o;
            Object workload;
            WorkloadId id = null;
            if (same) { // the very same object: nothing of it needs reading
                workload = lastWorkloads[j];
                id = lastIds[j];
            } else {
                workload = ((PendingWorkload) o).workload();
                // walk the last pending list alongside (both by id): identity in the common case, ids only where they
                // differ (the same workload object in a new pending workload — a later instant — has the same id)
                while (j < lastSize && last.get(j) != o && lastWorkloads[j] != workload
                        && lastIds[j].compareTo(((PendingWorkload) o).id()) < 0) {
                    j++;
                }
                same = j < lastSize && last.get(j) == o;
                if (j < lastSize && (same || lastWorkloads[j] == workload)) {
                    id = lastIds[j];
                }
            }
            workloads[i] = workload;
            String tenant = same ? m.tenantAt()[j] : pending.get(i).tenant(); // the very same object: no need to visit it
            tenantAt[i] = tenant;
            if (t == null || (t.name() != tenant && !t.name().equals(tenant))) { // pending is by id: a tenant's workloads mostly follow each other
                t = context.tenants().get(tenant);
                sameTenant = m != null && m.tenants().get(tenant) == t;
            }
            if (same) {
                ids[i] = id;
                if (sameTenant) {
                    out[i] = m.decisions()[j++];
                    continue;
                }
                j++;
            } else if (id != null) {
                j++; // the same workload at a later instant
            } else if (j < lastSize && lastIds[j].equals(pending.get(i).id())) {
                j++; // a new version of the same workload
            }
            PendingWorkload p = pending.get(i);
            if (id == null) {
                id = p.id();
            }
            ids[i] = id;
            long fairness = points.fairness(p.level());
            double ageFactor = aging ? points.ageFactor(p.waited()) : 0.0;
            long agingPts = aging ? points.aging(ageFactor) : 0;
            if (classes && cls != p.workloadClass() && !cls.equals(p.workloadClass())) {
                cls = p.workloadClass();
                classPts = points.classPoints(cls);
            }
            long score = classPts + agingPts + fairness;
            Explanation e = new Explanation(name, p.tenant(), cls, t.weight(), t.weightedDominantShare(),
                    t.dominantResource(), p.level(), p.waited(), ageFactor, classPts, agingPts, fairness, score, null, null);
            out[i] = new PriorityDecision(id, points.toPriority(score), e);
        }
        // the decisions reused from the last plan are paired with their workloads by identity, without a visit; the
        // others for the same workloads keep the last plan's order as the sort's starting point
        PriorityPlan plan = PriorityPlan.ofPending(name, context, java.util.Arrays.asList(out), m == null ? null : m.plan());
        memo = new Memo(pending, workloads, ids, out, tenantAt, context.tenants(), plan); // the plan copies out
        return plan;
    }
}
