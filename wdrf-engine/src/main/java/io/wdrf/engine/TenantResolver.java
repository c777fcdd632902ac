package io.wdrf.engine;

import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.TenantInputs;
import io.wdrf.api.TenantKey;
import io.wdrf.api.Workload;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a workload to its tenant key value and ClusterQueue, per the configured tenant key. With {@code label:<key>},
 * a label value that is not a configured tenant ({@link TenantInputs#labelTenants()}, the keys of the tenant weights)
 * maps to {@link TenantInputs#UNLISTED}: a fresh label value is no fresh zero-usage tenant, and another team's value
 * cannot be borrowed unless it is configured (issue 13.7).
 */
final class TenantResolver {

    static final String NO_QUEUE = "(no-queue)";
    static final String NO_LABEL = "(no-label)";

    private final TenantKey tenantKey;
    private final Map<String, String> clusterQueueByLocalQueue = new HashMap<>();
    private final TenantInputs inputs;
    private final Map<String, Double> tenantWeights;

    /** Label values taken as they are (no validation): for callers without a configuration. */
    TenantResolver(String tenantKey, List<LocalQueueInfo> localQueues) {
        this(tenantKey, new TenantInputs(true, true, java.util.Set.of("*")), Map.of(), localQueues);
    }

    TenantResolver(PolicyConfig config, List<LocalQueueInfo> localQueues) {
        this(config.tenantKey(), config.tenantInputs(), config.tenantWeights(), localQueues);
    }

    private TenantResolver(String tenantKey, TenantInputs inputs, Map<String, Double> tenantWeights,
                           List<LocalQueueInfo> localQueues) {
        this.inputs = inputs;
        this.tenantWeights = tenantWeights;
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
            if (v == null || v.isEmpty()) {
                return NO_LABEL;
            }
            return inputs.isLabelTenant(v, tenantWeights) ? v : TenantInputs.UNLISTED;
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

    /** The explanation note when the workload's tenant label was not a configured tenant, else null. */
    String note(Workload w) {
        if (tenantKey instanceof TenantKey.Label l) {
            String v = w.labels().get(l.key());
            if (v != null && !v.isEmpty() && !inputs.isLabelTenant(v, tenantWeights)) {
                return TenantInputs.Ignored.LABEL_TENANT.marker() + l.key() + "='" + ClassResolver.shown(v)
                        + "' is not a configured tenant (tenant-weights, tenant-inputs.label-tenants); counted as tenant "
                        + TenantInputs.UNLISTED;
            }
        }
        return null;
    }

    boolean namespaceTenants() {
        return tenantKey instanceof TenantKey.Namespace;
    }
}
