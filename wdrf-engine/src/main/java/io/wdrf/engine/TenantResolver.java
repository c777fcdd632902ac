package io.wdrf.engine;

import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.Workload;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Maps a workload to its tenant key value and ClusterQueue, per the configured tenant key. */
final class TenantResolver {

    static final String NO_QUEUE = "(no-queue)";
    static final String NO_LABEL = "(no-label)";

    private final String tenantKey;
    private final String labelKey;
    private final Map<String, String> clusterQueueByLocalQueue = new HashMap<>();

    TenantResolver(String tenantKey, List<LocalQueueInfo> localQueues) {
        this.tenantKey = tenantKey;
        this.labelKey = tenantKey.startsWith("label:") ? tenantKey.substring("label:".length()) : null;
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
        if (labelKey != null) {
            String v = w.labels().get(labelKey);
            return v == null || v.isEmpty() ? NO_LABEL : v;
        }
        switch (tenantKey) {
            case "localQueue":
                return w.id().namespace() + "/" + (w.queueName().isEmpty() ? NO_QUEUE : w.queueName());
            case "clusterQueue": {
                String cq = clusterQueue(w);
                return cq == null ? NO_QUEUE : cq;
            }
            default:
                return w.id().namespace();
        }
    }

    boolean namespaceTenants() {
        return "namespace".equals(tenantKey);
    }
}
