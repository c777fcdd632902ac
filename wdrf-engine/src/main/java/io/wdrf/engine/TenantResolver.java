package io.wdrf.engine;

import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.TenantKey;
import io.wdrf.api.Workload;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Maps a workload to its tenant key value and ClusterQueue, per the configured tenant key. */
final class TenantResolver {

    static final String NO_QUEUE = "(no-queue)";
    static final String NO_LABEL = "(no-label)";

    private final TenantKey tenantKey;
    private final Map<String, String> clusterQueueByLocalQueue = new HashMap<>();

    TenantResolver(String tenantKey, List<LocalQueueInfo> localQueues) {
        this.tenantKey = TenantKey.parse(tenantKey);
        for (LocalQueueInfo lq : localQueues) {
            clusterQueueByLocalQueue.put(lq.namespace() + "/" + lq.name(), lq.clusterQueue());
        }
    }

    /** The ClusterQueue: admission's, then the workload's own field, then the LocalQueue mapping; null when unknown. */
    String clusterQueue(Workload w) {
        if (w.admission() != null) {
            return w.admission().clusterQueue();
        }
        if (w.clusterQueue() != null && !w.clusterQueue().isEmpty()) {
            return w.clusterQueue();
        }
        return clusterQueueByLocalQueue.get(w.id().namespace() + "/" + w.queueName());
    }

    String tenant(Workload w) {
        if (tenantKey instanceof TenantKey.Label l) {
            String v = w.labels().get(l.key());
            return v == null || v.isEmpty() ? NO_LABEL : v;
        }
        if (tenantKey instanceof TenantKey.LocalQueue) {
            return w.id().namespace() + "/" + (w.queueName().isEmpty() ? NO_QUEUE : w.queueName());
        }
        if (tenantKey instanceof TenantKey.ClusterQueue) {
            String cq = clusterQueue(w);
            return cq == null ? NO_QUEUE : cq;
        }
        return w.id().namespace();
    }

    boolean namespaceTenants() {
        return tenantKey instanceof TenantKey.Namespace;
    }
}
