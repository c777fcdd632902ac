package io.wdrf.backend.common;

/**
 * The Kubernetes resources a WDRF backend watches, with the coordinates both clients need to address them
 * without generated classes.
 *
 * <p>Kueue kinds ({@link #isKueue()}) live in group {@code kueue.x-k8s.io}; their version is chosen at run time
 * ({@code v1beta1} or {@code v1beta2}, see {@link BackendConfig#kueueApiVersion()}). Core kinds use {@code v1}.
 */
public enum ResourceKind {
    /** {@code workloads.kueue.x-k8s.io}, namespaced. */
    WORKLOAD("Workload", "kueue.x-k8s.io", "workloads", true),
    /** {@code localqueues.kueue.x-k8s.io}, namespaced. */
    LOCAL_QUEUE("LocalQueue", "kueue.x-k8s.io", "localqueues", true),
    /** {@code clusterqueues.kueue.x-k8s.io}, cluster-scoped. */
    CLUSTER_QUEUE("ClusterQueue", "kueue.x-k8s.io", "clusterqueues", false),
    /** {@code resourceflavors.kueue.x-k8s.io}, cluster-scoped. */
    RESOURCE_FLAVOR("ResourceFlavor", "kueue.x-k8s.io", "resourceflavors", false),
    /** Core v1 nodes. */
    NODE("Node", "", "nodes", false),
    /** Core v1 pods (only when pod watching is enabled). */
    POD("Pod", "", "pods", true),
    /** Core v1 namespaces. */
    NAMESPACE("Namespace", "", "namespaces", false);

    /** Kueue's API group. */
    public static final String KUEUE_GROUP = "kueue.x-k8s.io";

    private final String kind;
    private final String group;
    private final String plural;
    private final boolean namespaced;

    ResourceKind(String kind, String group, String plural, boolean namespaced) {
        this.kind = kind;
        this.group = group;
        this.plural = plural;
        this.namespaced = namespaced;
    }

    /** The object kind, e.g. {@code Workload}. */
    public String kind() {
        return kind;
    }

    /** The API group; empty for the core group. */
    public String group() {
        return group;
    }

    /** The plural resource name used in URLs. */
    public String plural() {
        return plural;
    }

    /** True for namespaced resources. */
    public boolean namespaced() {
        return namespaced;
    }

    /** True for Kueue resources (group {@code kueue.x-k8s.io}). */
    public boolean isKueue() {
        return !group.isEmpty();
    }

    /** The version to use: {@code kueueVersion} for Kueue kinds, {@code v1} otherwise. */
    public String version(String kueueVersion) {
        return isKueue() ? kueueVersion : "v1";
    }

    /** {@code group/version}, or {@code v1} for core kinds. */
    public String apiVersion(String kueueVersion) {
        return isKueue() ? group + "/" + kueueVersion : "v1";
    }
}
