package io.wdrf.backend.official;

import com.google.gson.JsonObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApisApi;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1APIGroup;
import io.kubernetes.client.openapi.models.V1APIGroupList;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1GroupVersionForDiscovery;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
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
import io.wdrf.backend.common.ProjectedStore;
import io.wdrf.backend.common.ResourceKind;
import io.wdrf.backend.common.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * WDRF backend on the official Kubernetes client (client-java 27): a {@link ClusterView} fed by one
 * {@link SharedInformerFactory} per dynamic resource (client-java keys informers by Java class, so dynamic
 * resources cannot share a factory), and a {@link PriorityWriter} sending one JSON merge patch per update.
 *
 * <p>Memory: each informer's {@code setTransform} projects the arriving object into the {@link ProjectedStore}
 * and hands the informer a metadata-only stub (name, namespace, uid, resourceVersion) to cache, so no raw object
 * is retained. Relists after 410 fire {@code onUpdate} for every object in client-java; projection compares
 * records, so unchanged objects cause no change notification. The {@link ApiClient} must have read timeout 0
 * (watches are long-lived); clients built here do, and a supplied client is given read timeout 0.
 *
 * <p>Usage: {@code OfficialBackend b = OfficialBackend.builder().apiClient(c).config(cfg).build().start();
 * b.awaitSynced(Duration.ofSeconds(30)); b.snapshot(); b.apply(updates); b.close();}
 */
public final class OfficialBackend implements ClusterView, PriorityWriter {

    private static final Logger LOG = LoggerFactory.getLogger(OfficialBackend.class);

    private final ApiClient apiClient;
    private final BackendConfig config;
    private final BackendCore core;
    private final List<SharedInformerFactory> factories = new ArrayList<>();
    private final List<SharedIndexInformer<DynamicKubernetesObject>> informers = new ArrayList<>();
    private final List<ResourceKind> informerKinds = new ArrayList<>();
    private final int listPageSize;

    private OfficialBackend(Builder b, BackendConfig config,
                            BiFunction<PatchTransport, Consumer<RuntimeException>, BackendCore> newCore)
            throws IOException {
        this.config = config;
        this.listPageSize = b.listPageSize;
        ApiClient c = b.apiClient;
        if (c == null) {
            ClientBuilder cb;
            if (b.kubeconfig != null) {
                try (Reader r = Files.newBufferedReader(b.kubeconfig, StandardCharsets.UTF_8)) {
                    cb = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(r));
                }
            } else if (b.basePath != null) {
                cb = new ClientBuilder().setBasePath(b.basePath).setVerifyingSsl(b.verifyingSsl);
            } else {
                cb = ClientBuilder.standard();
            }
            c = cb.setReadTimeout(Duration.ZERO).build();
        } else {
            c.setReadTimeout(0);
        }
        if (b.userAgent() != null) {
            c.setUserAgent(b.userAgent());
        }
        this.apiClient = c;
        this.core = newCore.apply(this::patchWorkload, e -> LOG.warn("change listener failed", e));
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Detects the Kueue version and starts the informers. Returns at once; see {@link #hasSynced()}. Idempotent.
     */
    public OfficialBackend start() {
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
            addInformer(target.kind(), target.namespace(), target.fieldSelector());
        }
        for (SharedInformerFactory f : factories) {
            f.startAllRegisteredInformers();
        }
        return this;
    }

    private void addInformer(ResourceKind kind, String namespace, String fieldSelector) {
        DynamicKubernetesApi api = new DynamicKubernetesApi(kind.group(), kind.version(core.kueueVersion()), kind.plural(),
                apiClient);
        SharedInformerFactory factory = new SharedInformerFactory(apiClient);
        SharedIndexInformer<DynamicKubernetesObject> informer;
        if (fieldSelector != null || listPageSize > 0) {
            // pods: list and watch only phases that can hold devices; initial lists in pages of listPageSize
            informer = factory.sharedIndexInformerFor(selecting(api, namespace, fieldSelector, listPageSize),
                    DynamicKubernetesObject.class, 0);
        } else {
            informer = namespace == null
                    ? factory.sharedIndexInformerFor(api, DynamicKubernetesObject.class, 0)
                    : factory.sharedIndexInformerFor(api, DynamicKubernetesObject.class, 0, namespace);
        }
        // relists deliver deletions as DeltaFIFO.DeletedFinalStateUnknown wrappers: pass those through untouched
        informer.setTransform(obj -> obj instanceof DynamicKubernetesObject ? project(kind, (DynamicKubernetesObject) obj)
                : obj);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(DynamicKubernetesObject obj) {
                // projected in the transform
            }

            @Override
            public void onUpdate(DynamicKubernetesObject oldObj, DynamicKubernetesObject newObj) {
                // projected in the transform; relists re-deliver unchanged objects, the store ignores them
            }

            @Override
            public void onDelete(DynamicKubernetesObject obj, boolean finalStateUnknown) {
                Object o = obj;
                V1ObjectMeta m = o instanceof KubernetesObject ? ((KubernetesObject) o).getMetadata() : null;
                if (m != null && m.getName() != null) {
                    core.store().remove(kind, kind.namespaced() ? m.getNamespace() : "", m.getName(), m.getUid());
                }
            }
        });
        factories.add(factory);
        informers.add(informer);
        informerKinds.add(kind);
    }

    /** Projects the full object and returns the metadata-only stub the informer caches instead of it. */
    private KubernetesObject project(ResourceKind kind, DynamicKubernetesObject obj) {
        JsonObject raw = obj.getRaw();
        core.store().put(core.projector().project(kind, GsonTrees.toMap(raw)));
        JsonObject stub = new JsonObject();
        if (raw.has("apiVersion")) {
            stub.add("apiVersion", raw.get("apiVersion"));
        }
        if (raw.has("kind")) {
            stub.add("kind", raw.get("kind"));
        }
        JsonObject meta = new JsonObject();
        if (raw.has("metadata") && raw.get("metadata").isJsonObject()) {
            JsonObject m = raw.getAsJsonObject("metadata");
            for (String f : new String[] {"name", "namespace", "uid", "resourceVersion"}) {
                if (m.has(f)) {
                    meta.add(f, m.get(f));
                }
            }
        }
        stub.add("metadata", meta);
        return new DynamicKubernetesObject(stub);
    }

    /**
     * A lister-watcher like client-java's own for a generic API, with an optional field selector on list and watch and,
     * when {@code pageSize > 0}, a paged list: {@code limit}/{@code continue} until the server sends no token, the pages
     * joined into one list carrying the last page's resourceVersion (the snapshot's, as the API server keeps it for
     * every page). client-java's reflector lists with {@code resourceVersion=0} (the watch cache, where a real API
     * server ignores {@code limit}); a paged list drops it and reads the current state page by page. An expired
     * continue token (410) fails the list and the reflector lists again from the start.
     */
    static io.kubernetes.client.informer.ListerWatcher<DynamicKubernetesObject,
            io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject> selecting(DynamicKubernetesApi api,
                                                                                            String namespace,
                                                                                            String fieldSelector,
                                                                                            int pageSize) {
        return new io.kubernetes.client.informer.ListerWatcher<>() {
            private io.kubernetes.client.util.generic.options.ListOptions options(
                    io.kubernetes.client.util.CallGeneratorParams p) {
                io.kubernetes.client.util.generic.options.ListOptions o =
                        new io.kubernetes.client.util.generic.options.ListOptions();
                if (fieldSelector != null) {
                    o.setFieldSelector(fieldSelector);
                }
                o.setResourceVersion(p.resourceVersion);
                o.setTimeoutSeconds(p.timeoutSeconds);
                return o;
            }

            private io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject once(
                    io.kubernetes.client.util.generic.options.ListOptions o) throws ApiException {
                return (namespace == null ? api.list(o) : api.list(namespace, o)).throwsApiException().getObject();
            }

            @Override
            public io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject list(
                    io.kubernetes.client.util.CallGeneratorParams p) throws ApiException {
                io.kubernetes.client.util.generic.options.ListOptions o = options(p);
                if (pageSize <= 0) {
                    return once(o);
                }
                o.setResourceVersion(null);
                o.setLimit(pageSize);
                com.google.gson.JsonArray items = new com.google.gson.JsonArray();
                JsonObject last;
                int pages = 0;
                while (true) {
                    io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject page = once(o);
                    last = page.getRaw();
                    if (last.has("items") && last.get("items").isJsonArray()) {
                        items.addAll(last.getAsJsonArray("items"));
                        last.remove("items");
                    }
                    pages++;
                    String token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
                    if (token == null || token.isEmpty()) {
                        break;
                    }
                    o.setContinue(token);
                }
                last.add("items", items);
                if (last.has("metadata") && last.get("metadata").isJsonObject()) {
                    last.getAsJsonObject("metadata").remove("continue");
                }
                LOG.debug("listed {} objects in {} page(s)", items.size(), pages);
                return new io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject(last);
            }

            @Override
            public io.kubernetes.client.util.Watchable<DynamicKubernetesObject> watch(
                    io.kubernetes.client.util.CallGeneratorParams p) throws ApiException {
                return namespace == null ? api.watch(options(p)) : api.watch(namespace, options(p));
            }
        };
    }

    private Set<String> requestKueueVersions() throws Exception {
        Set<String> versions = new TreeSet<>();
        V1APIGroupList groups = new ApisApi(apiClient).getAPIVersions().execute();
        for (V1APIGroup g : groups.getGroups()) {
            if (ResourceKind.KUEUE_GROUP.equals(g.getName())) {
                for (V1GroupVersionForDiscovery v : g.getVersions()) {
                    versions.add(v.getVersion());
                }
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

    /** One PATCH with content type {@code application/merge-patch+json} through {@link PatchUtils}. */
    private PatchTransport.Response patchWorkload(String namespace, String name, String body) {
        CustomObjectsApi api = new CustomObjectsApi(apiClient);
        try {
            PatchUtils.patch(Object.class,
                    () -> api.patchNamespacedCustomObject(ResourceKind.KUEUE_GROUP, core.kueueVersion(), namespace,
                            ResourceKind.WORKLOAD.plural(), name, new V1Patch(body))
                            .fieldManager(config.fieldManager()).buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, apiClient);
            return new PatchTransport.Response(200, null, "");
        } catch (ApiException e) {
            return new PatchTransport.Response(e.getCode(), retryAfter(e.getResponseHeaders()),
                    e.getResponseBody() != null ? BackendCore.shorten(e.getResponseBody()) : String.valueOf(e.getMessage()));
        }
    }

    private static Duration retryAfter(Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase("Retry-After") && !e.getValue().isEmpty()) {
                return RetryPolicy.parseRetryAfter(e.getValue().get(0));
            }
        }
        return null;
    }

    /** Creates a core v1 Event on the workload (best effort; skipped without a rate-limit token). */
    @Override
    public void recordEvent(WorkloadId workloadId, String reason, String message) {
        if (!core.acquireEventPermit()) {
            return;
        }
        try {
            String uid = core.workloadUid(workloadId);
            OffsetDateTime now = OffsetDateTime.ofInstant(core.clock().instant(), ZoneOffset.UTC).withNano(0);
            V1ObjectReference ref = new V1ObjectReference()
                    .apiVersion(core.eventWorkloadApiVersion())
                    .kind(ResourceKind.WORKLOAD.kind()).namespace(workloadId.namespace()).name(workloadId.name());
            if (uid != null) {
                ref.uid(uid);
            }
            CoreV1Event ev = new CoreV1Event().apiVersion("v1").kind("Event")
                    .metadata(new V1ObjectMeta().namespace(workloadId.namespace()).name(core.eventName(workloadId)))
                    .involvedObject(ref).reason(reason).message(message).type("Normal")
                    .firstTimestamp(now).lastTimestamp(now).count(1)
                    .source(new V1EventSource().component(config.fieldManager()));
            new CoreV1Api(apiClient).createNamespacedEvent(workloadId.namespace(), ev).execute();
        } catch (ApiException | RuntimeException e) {
            LOG.warn("could not record event {} on {}: {}", reason, workloadId, e.getMessage());
        }
    }

    /** What the informers of {@code kind} cache (metadata-only stubs); for tests. */
    List<KubernetesObject> informerCache(ResourceKind kind) {
        List<KubernetesObject> out = new ArrayList<>();
        for (int i = 0; i < informers.size(); i++) {
            if (informerKinds.get(i) == kind) {
                out.addAll(informers.get(i).getIndexer().list());
            }
        }
        return out;
    }

    /** The API client in use (read timeout 0). */
    public ApiClient apiClient() {
        return apiClient;
    }

    /**
     * Sets the write fence: checked immediately before every PATCH attempt and Event, nothing is sent while it is
     * false (see {@link BackendCore#writeFence}).
     */
    public void writeFence(java.util.function.BooleanSupplier fence) {
        core.writeFence(fence);
    }

    /** Stops the informers and the writer. Idempotent. */
    @Override
    public void close() {
        if (!core.markClosed()) {
            return;
        }
        for (SharedInformerFactory f : factories) {
            try {
                f.stopAllRegisteredInformers(true);
            } catch (RuntimeException e) {
                LOG.debug("informer stop failed", e);
            }
        }
    }

    /** Builder: an {@link ApiClient}, a kubeconfig file, a base path, or the standard configuration. */
    public static final class Builder extends BackendBuilder<Builder> {
        private ApiClient apiClient;
        private Path kubeconfig;
        private String basePath;
        private boolean verifyingSsl = true;
        private int listPageSize;

        private Builder() {
        }

        /**
         * Page the informers' initial lists in chunks of {@code n} objects ({@code limit}/{@code continue}), which
         * bounds the size of one response at 100k Workloads; 0 (default) lists at once from the watch cache
         * ({@code resourceVersion=0}), which is cheaper for the API server. As {@code Fabric8Backend}'s.
         */
        public Builder listPageSize(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("listPageSize must be >= 0, got " + n);
            }
            this.listPageSize = n;
            return this;
        }

        /** Use this client (its read timeout is set to 0 for watches). */
        public Builder apiClient(ApiClient c) {
            this.apiClient = Objects.requireNonNull(c);
            return this;
        }

        /** Build a client from this kubeconfig file. */
        public Builder kubeconfig(Path p) {
            this.kubeconfig = p;
            return this;
        }

        /** Build a client for this API server URL (no credentials). */
        public Builder basePath(String url) {
            this.basePath = url;
            return this;
        }

        /** Verify the server certificate (default true; tests only should turn it off). */
        public Builder verifyingSsl(boolean v) {
            this.verifyingSsl = v;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Builds the backend (not started). */
        public OfficialBackend build() {
            try {
                return new OfficialBackend(this, backendConfig(), this::newCore);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot configure the Kubernetes client: " + e.getMessage(), e);
            }
        }
    }
}
