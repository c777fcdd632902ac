package io.wdrf.backend.fabric8;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ClusterView;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteResult;
import io.wdrf.backend.common.BackendBuilder;
import io.wdrf.backend.common.BackendConfig;
import io.wdrf.backend.common.BackendCore;
import io.wdrf.backend.common.PatchTransport;
import io.wdrf.backend.common.ResourceKind;
import io.wdrf.backend.common.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * WDRF backend on the fabric8 kubernetes-client: a {@link ClusterView} fed by informers on generic resources
 * (no generated Kueue classes), and a {@link PriorityWriter} sending one JSON merge patch per update.
 *
 * <p>Objects are projected into compact records as they arrive (see {@code ProjectingItemStore}); the informers
 * keep only {@code key → resourceVersion}, never raw objects. The Kueue version is auto-detected by discovery
 * (v1beta2 preferred) unless configured. Writes are rate-limited client-side (QPS/burst), retried with jittered
 * exponential backoff on 409/429/5xx/I/O (honouring {@code Retry-After}), checked against the watched uid, and
 * reported GONE on 404. No Jackson type appears in this class's API.
 *
 * <p>Usage: {@code Fabric8Backend b = Fabric8Backend.builder().client(client).config(cfg).build(); b.start();
 * b.awaitSynced(Duration.ofSeconds(30)); b.snapshot(); b.apply(updates); b.close();}
 */
public final class Fabric8Backend implements ClusterView, PriorityWriter {

    private static final Logger LOG = LoggerFactory.getLogger(Fabric8Backend.class);

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final BackendConfig config;
    private final BackendCore core;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private final int listPageSize;

    private Fabric8Backend(Builder b, BackendConfig config,
                           BiFunction<PatchTransport, Consumer<RuntimeException>, BackendCore> newCore) {
        this.config = config;
        this.listPageSize = b.listPageSize;
        if (b.client != null) {
            this.client = b.client;
            this.ownsClient = false;
        } else {
            Config base;
            if (b.kubeconfig != null) {
                base = Config.fromKubeconfig(b.kubeconfig);
            } else {
                base = Config.autoConfigure(null);
            }
            ConfigBuilder cb = new ConfigBuilder(base);
            if (b.masterUrl != null) {
                cb.withMasterUrl(b.masterUrl);
            }
            cb.withOnlyHttpWatches(b.onlyHttpWatches);
            if (b.userAgent() != null) {
                cb.withUserAgent(b.userAgent());
            }
            // WDRF retries writes itself (counted, jittered, Retry-After aware); keep fabric8's own retries low
            cb.withRequestRetryBackoffLimit(b.requestRetryBackoffLimit == null ? 0 : b.requestRetryBackoffLimit);
            if (b.trustCerts) {
                cb.withTrustCerts(true);
            }
            this.client = new KubernetesClientBuilder().withConfig(cb.build()).build();
            this.ownsClient = true;
        }
        if (b.client != null && b.requestRetryBackoffLimit != null) {
            client.getConfiguration().setRequestRetryBackoffLimit(b.requestRetryBackoffLimit);
        }
        this.core = newCore.apply(this::patchWorkload, e -> LOG.warn("change listener failed", e));
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Detects the Kueue version and starts one informer per watched resource (per namespace when a namespace
     * filter is set). Returns at once; see {@link #hasSynced()} / {@link #awaitSynced(Duration)}. Idempotent.
     */
    public Fabric8Backend start() {
        if (!core.markStarted()) {
            return this;
        }
        String kueueVersion;
        try {
            kueueVersion = core.resolveKueueVersion(this::requestKueueVersions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during Kueue API discovery", e);
        }
        LOG.info("using Kueue API {}/{}", ResourceKind.KUEUE_GROUP, kueueVersion);
        for (BackendCore.WatchTarget target : core.watchTargets()) {
            ResourceKind kind = target.kind();
            MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> ops =
                    client.genericKubernetesResources(context(kind));
            Long limit = listPageSize > 0 ? Long.valueOf(listPageSize) : null;
            if (target.namespace() != null) {
                startInformer(kind, ops.inNamespace(target.namespace()).withLimit(limit).runnableInformer(0));
            } else if (kind.namespaced()) {
                startInformer(kind, ops.inAnyNamespace().withLimit(limit).runnableInformer(0));
            } else {
                startInformer(kind, ops.withLimit(limit).runnableInformer(0));
            }
        }
        return this;
    }

    private void startInformer(ResourceKind kind, SharedIndexInformer<GenericKubernetesResource> informer) {
        informer.removeNamespaceIndex();
        informer.itemStore(new ProjectingItemStore(kind, kind.apiVersion(core.kueueVersion()), core.projector(),
                core.store()));
        // keep trying when the first list fails (CRD not installed yet, RBAC being fixed): hasSynced() stays false
        informer.exceptionHandler((isStarted, t) -> {
            LOG.warn("{} informer: {} (retrying)", kind.kind(), t.toString());
            return true;
        });
        informers.add(informer);
        informer.start();
    }

    private Set<String> requestKueueVersions() throws Exception {
        Set<String> versions = new TreeSet<>();
        APIGroup group = client.getApiGroup(ResourceKind.KUEUE_GROUP);
        if (group != null && group.getVersions() != null) {
            for (GroupVersionForDiscovery v : group.getVersions()) {
                versions.add(v.getVersion());
            }
        }
        return versions;
    }

    private Set<String> discoverKueueVersions() {
        try {
            return requestKueueVersions();
        } catch (Exception e) {
            LOG.warn("discovery of {} failed: {}", ResourceKind.KUEUE_GROUP, e.getMessage());
            return new TreeSet<>();
        }
    }

    /** The Kueue version in use (null before {@link #start()}). */
    public String kueueApiVersion() {
        return core.kueueVersion();
    }

    private ResourceDefinitionContext context(ResourceKind kind) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(kind.group())
                .withVersion(kind.version(core.kueueVersion()))
                .withPlural(kind.plural())
                .withKind(kind.kind())
                .withNamespaced(kind.namespaced())
                .build();
    }

    @Override
    public boolean hasSynced() {
        return core.hasSynced(informers.size(), () -> informers.stream().allMatch(SharedIndexInformer::hasSynced));
    }

    /** Waits until every informer has listed once, or the timeout passes; returns {@link #hasSynced()}. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return BackendCore.awaitSynced(this::hasSynced, timeout);
    }

    @Override
    public ClusterSnapshot snapshot() {
        return core.snapshot();
    }

    @Override
    public AutoCloseable addChangeListener(Runnable listener) {
        return core.addChangeListener(listener);
    }

    @Override
    public WriteResult apply(List<PriorityUpdate> updates) {
        return core.apply(updates, this::discoverKueueVersions);
    }

    /**
     * One PATCH through fabric8's configured HTTP client (same TLS, auth and interceptors as the DSL). The DSL's
     * {@code resource(item).patch(ctx, json)} also sends a single PATCH, but its exception hides the
     * {@code Retry-After} header, which WDRF honours.
     */
    private PatchTransport.Response patchWorkload(String namespace, String name, String body) throws IOException {
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String url = base + "/apis/" + ResourceKind.KUEUE_GROUP + "/" + core.kueueVersion() + "/namespaces/"
                + enc(namespace) + "/" + ResourceKind.WORKLOAD.plural() + "/" + enc(name)
                + "?fieldManager=" + enc(config.fieldManager());
        HttpClient http = client.getHttpClient();
        HttpRequest req = http.newHttpRequestBuilder().uri(url)
                .method("PATCH", "application/merge-patch+json", body).build();
        try {
            HttpResponse<String> resp = http.sendAsync(req, String.class).get(60, TimeUnit.SECONDS);
            String message = resp.isSuccessful() ? "" : BackendCore.shorten(resp.body());
            return new PatchTransport.Response(resp.code(), RetryPolicy.parseRetryAfter(resp.header("Retry-After")),
                    message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IOException(c.toString(), c);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Creates a core v1 Event on the workload (type Normal, source {@code wdrf}). Best effort: skipped when the
     * rate limiter has no token, failures are logged.
     */
    @Override
    public void recordEvent(WorkloadId workloadId, String reason, String message) {
        if (!core.acquireEventPermit()) {
            return;
        }
        try {
            String uid = core.workloadUid(workloadId);
            String now = DateTimeFormatter.ISO_INSTANT.format(core.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            io.fabric8.kubernetes.api.model.Event ev = new io.fabric8.kubernetes.api.model.Event();
            ObjectMeta meta = new ObjectMeta();
            meta.setNamespace(workloadId.namespace());
            meta.setName(core.eventName(workloadId));
            ev.setMetadata(meta);
            ObjectReference ref = new ObjectReference();
            ref.setApiVersion(core.eventWorkloadApiVersion());
            ref.setKind(ResourceKind.WORKLOAD.kind());
            ref.setNamespace(workloadId.namespace());
            ref.setName(workloadId.name());
            if (uid != null) {
                ref.setUid(uid);
            }
            ev.setInvolvedObject(ref);
            ev.setReason(reason);
            ev.setMessage(message);
            ev.setType("Normal");
            ev.setFirstTimestamp(now);
            ev.setLastTimestamp(now);
            ev.setCount(1);
            io.fabric8.kubernetes.api.model.EventSource src = new io.fabric8.kubernetes.api.model.EventSource();
            src.setComponent(config.fieldManager());
            ev.setSource(src);
            client.v1().events().inNamespace(workloadId.namespace()).resource(ev).create();
        } catch (KubernetesClientException e) {
            LOG.warn("could not record event {} on {}: {}", reason, workloadId, e.getMessage());
        }
    }

    /**
     * Sets the write fence: checked immediately before every PATCH attempt and Event, nothing is sent while it is
     * false (see {@link BackendCore#writeFence}).
     */
    public void writeFence(java.util.function.BooleanSupplier fence) {
        core.writeFence(fence);
    }

    /** The underlying client (for leader election on the same connection). */
    public KubernetesClient client() {
        return client;
    }

    /** Stops the informers, the writer and (when built here) the client. Idempotent. */
    @Override
    public void close() {
        if (!core.markClosed()) {
            return;
        }
        for (SharedIndexInformer<GenericKubernetesResource> i : informers) {
            try {
                i.stop();
            } catch (RuntimeException e) {
                LOG.debug("informer stop failed", e);
            }
        }
        if (ownsClient) {
            client.close();
        }
    }

    /** Builder; one of {@link #client}, {@link #kubeconfig}, {@link #masterUrl} or in-cluster auto-configuration. */
    public static final class Builder extends BackendBuilder<Builder> {
        private KubernetesClient client;
        private File kubeconfig;
        private String masterUrl;
        private boolean onlyHttpWatches;
        private boolean trustCerts;
        private Integer requestRetryBackoffLimit;
        private int listPageSize;

        private Builder() {
        }

        /**
         * Page the informers' initial lists in chunks of {@code n} objects ({@code limit}/{@code continue}), which
         * bounds the size of one response at 100k Workloads; 0 (default) lists at once from the watch cache
         * ({@code resourceVersion=0}), which is cheaper for the API server.
         */
        public Builder listPageSize(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("listPageSize must be >= 0, got " + n);
            }
            this.listPageSize = n;
            return this;
        }

        /** Use this client (not closed by the backend). */
        public Builder client(KubernetesClient c) {
            this.client = Objects.requireNonNull(c);
            return this;
        }

        /** Build a client from this kubeconfig file. */
        public Builder kubeconfig(String path) {
            this.kubeconfig = new File(path);
            return this;
        }

        /** Build a client for this API server URL (other settings from auto-configuration). */
        public Builder masterUrl(String url) {
            this.masterUrl = url;
            return this;
        }

        /**
         * Watch with HTTP chunked streams instead of WebSockets (needed for servers that only stream, such as
         * the testkit fake API server). Only for clients built here.
         */
        public Builder onlyHttpWatches(boolean v) {
            this.onlyHttpWatches = v;
            return this;
        }

        /** Trust the server certificate without verification (tests only). Only for clients built here. */
        public Builder trustCerts(boolean v) {
            this.trustCerts = v;
            return this;
        }

        /** fabric8's own HTTP retry limit (default 0 for clients built here: WDRF retries writes itself). */
        public Builder requestRetryBackoffLimit(int v) {
            this.requestRetryBackoffLimit = v;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Builds the backend (not started). */
        public Fabric8Backend build() {
            return new Fabric8Backend(this, backendConfig(), this::newCore);
        }
    }
}
