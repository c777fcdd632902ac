package io.wdrf.testkit;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions comparing what a backend projected with the records a test wrote (via {@link KueueObjects}). */
public final class KitAssertions {

    private KitAssertions() {
    }

    /** The workload with this id in the snapshot, if any. */
    public static Optional<Workload> find(ClusterSnapshot s, WorkloadId id) {
        return s.workloads().stream().filter(w -> w.id().equals(id)).findFirst();
    }

    /**
     * The projected workload equals the written one in every field a projection must carry: id, uid (non-empty, equal
     * when one was written), queueName, labels, annotations (plus the priority-boost annotation), creation time, pod
     * sets (containers per kind in order, requests/limits as raw strings, overhead, node selector, template
     * annotations, count, minCount), priority, boost, priority class, active, true conditions, phase, admission.
     */
    public static void assertSameWorkload(Workload expected, Workload actual) {
        String w = "workload " + expected.id() + ": ";
        assertThat(actual.id()).as(w + "id").isEqualTo(expected.id());
        assertThat(actual.uid()).as(w + "uid").isNotEmpty();
        if (!expected.uid().isEmpty()) {
            assertThat(actual.uid()).as(w + "uid").isEqualTo(expected.uid());
        }
        assertThat(actual.queueName()).as(w + "spec.queueName").isEqualTo(expected.queueName());
        assertThat(actual.labels()).as(w + "metadata.labels").isEqualTo(expected.labels());
        Map<String, String> annotations = new TreeMap<>(expected.annotations());
        if (expected.priorityBoost() != null) {
            annotations.put(Workload.PRIORITY_BOOST, expected.priorityBoost().toString());
        }
        assertThat(actual.annotations()).as(w + "metadata.annotations").isEqualTo(annotations);
        assertThat(actual.creationTime()).as(w + "metadata.creationTimestamp").isEqualTo(expected.creationTime());
        assertThat(actual.podSets()).as(w + "spec.podSets").hasSameSizeAs(expected.podSets());
        for (int i = 0; i < expected.podSets().size(); i++) {
            assertSamePodSet(w + "spec.podSets[" + i + "]", expected.podSets().get(i), actual.podSets().get(i));
        }
        assertThat(actual.priority()).as(w + "spec.priority").isEqualTo(expected.priority());
        assertThat(actual.priorityBoost()).as(w + "priority boost").isEqualTo(expected.priorityBoost());
        assertThat(actual.priorityClassName()).as(w + "priority class").isEqualTo(expected.priorityClassName());
        assertThat(actual.active()).as(w + "spec.active").isEqualTo(expected.active());
        assertThat(actual.trueConditions()).as(w + "true conditions").isEqualTo(expected.trueConditions());
        assertThat(actual.phase()).as(w + "phase").isEqualTo(expected.phase());
        assertThat(actual.isAdmissible()).as(w + "admissible").isEqualTo(expected.isAdmissible());
        if (expected.admission() == null) {
            assertThat(actual.admission()).as(w + "status.admission").isNull();
        } else {
            assertThat(actual.admission()).as(w + "status.admission").isNotNull();
            assertThat(actual.admission().clusterQueue()).as(w + "status.admission.clusterQueue")
                    .isEqualTo(expected.admission().clusterQueue());
            List<PodSetAssignment> e = expected.admission().podSetAssignments();
            List<PodSetAssignment> a = actual.admission().podSetAssignments();
            assertThat(a).as(w + "status.admission.podSetAssignments").hasSameSizeAs(e);
            for (int i = 0; i < e.size(); i++) {
                String p = w + "status.admission.podSetAssignments[" + i + "].";
                assertThat(a.get(i).name()).as(p + "name").isEqualTo(e.get(i).name());
                assertThat(a.get(i).flavors()).as(p + "flavors").isEqualTo(e.get(i).flavors());
                assertThat(a.get(i).count()).as(p + "count").isEqualTo(e.get(i).count());
                assertThat(a.get(i).resourceUsage()).as(p + "resourceUsage").isEqualTo(e.get(i).resourceUsage());
            }
            assertThat(actual.admission().totalUsage()).as(w + "admitted usage").isEqualTo(expected.admission().totalUsage());
        }
    }

    private static void assertSamePodSet(String where, PodSet e, PodSet a) {
        assertThat(a.name()).as(where + ".name").isEqualTo(e.name());
        assertThat(a.count()).as(where + ".count").isEqualTo(e.count());
        assertThat(a.minCount()).as(where + ".minCount").isEqualTo(e.minCount());
        assertThat(a.overhead()).as(where + ".template.spec.overhead").isEqualTo(e.overhead());
        assertThat(a.nodeSelector()).as(where + ".template.spec.nodeSelector").isEqualTo(e.nodeSelector());
        assertThat(a.annotations()).as(where + ".template.metadata.annotations").isEqualTo(e.annotations());
        assertThat(byKind(a.containers(), true)).as(where + ".template.spec.containers")
                .isEqualTo(byKind(e.containers(), true));
        assertThat(byKind(a.containers(), false)).as(where + ".template.spec.initContainers (init and sidecar)")
                .isEqualTo(byKind(e.containers(), false));
    }

    private static List<ContainerSpec> byKind(List<ContainerSpec> cs, boolean app) {
        return cs.stream().filter(c -> (c.kind() == ContainerKind.APP) == app).toList();
    }

    /** ClusterQueues are equal field by field, quotas compared numerically and in order. */
    public static void assertSameClusterQueue(ClusterQueueInfo e, ClusterQueueInfo a) {
        String w = "ClusterQueue " + e.name() + ": ";
        assertThat(a.name()).as(w + "name").isEqualTo(e.name());
        assertThat(a.cohort()).as(w + "cohort").isEqualTo(e.cohort());
        assertThat(a.queueingStrategy()).as(w + "queueingStrategy").isEqualTo(e.queueingStrategy());
        assertThat(a.withinClusterQueue()).as(w + "preemption.withinClusterQueue").isEqualTo(e.withinClusterQueue());
        assertThat(a.reclaimWithinCohort()).as(w + "preemption.reclaimWithinCohort").isEqualTo(e.reclaimWithinCohort());
        assertThat(a.borrowWithinCohort()).as(w + "preemption.borrowWithinCohort").isEqualTo(e.borrowWithinCohort());
        assertThat(a.fairSharingWeight()).as(w + "fairSharing.weight").isEqualTo(e.fairSharingWeight());
        assertThat(a.quotas()).as(w + "quotas").hasSameSizeAs(e.quotas());
        for (int i = 0; i < e.quotas().size(); i++) {
            ResourceQuota x = e.quotas().get(i);
            ResourceQuota y = a.quotas().get(i);
            String q = w + "quota[" + i + "] ";
            assertThat(y.flavor()).as(q + "flavor").isEqualTo(x.flavor());
            assertThat(y.resource()).as(q + "resource").isEqualTo(x.resource());
            assertThat(numeric(y.nominal())).as(q + "nominalQuota").isEqualTo(numeric(x.nominal()));
            assertThat(numeric(y.borrowingLimit())).as(q + "borrowingLimit").isEqualTo(numeric(x.borrowingLimit()));
            assertThat(numeric(y.lendingLimit())).as(q + "lendingLimit").isEqualTo(numeric(x.lendingLimit()));
        }
    }

    private static String numeric(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros().toPlainString();
    }
}
