package io.wdrf.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-memory Kubernetes API server for tests, on {@code com.sun.net.httpserver} (HTTP on 127.0.0.1, random port).
 *
 * <h2>Resources</h2>
 * Core {@code v1}: {@code namespaces}, {@code nodes} (cluster-scoped), {@code pods}, {@code events} (namespaced);
 * {@code coordination.k8s.io/v1} {@code leases}; {@code kueue.x-k8s.io} {@code v1beta1} and {@code v1beta2}:
 * {@code workloads}, {@code localqueues} (namespaced), {@code clusterqueues}, {@code resourceflavors},
 * {@code workloadpriorityclasses} (cluster-scoped). Each resource has one store whatever the version; objects are
 * returned in the requested version ({@code apiVersion} set, and Kueue's renamed fields converted: Workload
 * {@code priorityClassName/Source} ↔ {@code priorityClassRef}, ClusterQueue {@code cohort} ↔ {@code cohortName}).
 * Discovery: {@code /version}, {@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/{g}}, {@code /apis/{g}/{v}};
 * {@link Builder#servedKueueVersions} / {@link #serveKueueVersions} restrict the Kueue versions served (old Kueue).
 *
 * <h2>Verbs</h2>
 * list (per namespace or across all; {@code labelSelector} with {@code =, ==, !=, in, notin, exists, !}; equality
 * {@code fieldSelector} on any dotted path; {@code limit}/{@code continue} as the API server pages: at most
 * {@code limit} items in key order and a {@code metadata.continue} token while more match; continued pages report the
 * first page's resourceVersion and show the objects' current state (not a snapshot), and a token older than the last
 * {@link #compact()} is 410 Expired; a list {@code resourceVersion} is ignored), get, create (POST, 409 AlreadyExists; status kept), update (PUT,
 * 409 Conflict on a stale {@code metadata.resourceVersion}; none = unconditional), delete (returns the object;
 * DeleteOptions {@code preconditions.uid/resourceVersion} honoured, other options such as propagation ignored),
 * patch with {@code application/merge-patch+json} (RFC 7386) or {@code application/strategic-merge-patch+json}
 * (treated as a merge patch) or {@code application/json-patch+json} (RFC 6902; a failed {@code test} is 422), 409 when
 * the patched object carries a stale {@code metadata.resourceVersion} and 422 Invalid when it carries another
 * {@code metadata.uid} (as the apiserver's immutable-field check; a PUT with another uid is a 409 precondition
 * failure); server-side apply gets 415. {@code /status} subresource for get, PUT and PATCH: main writes keep the stored status, status writes only
 * change it. Every effective write bumps one global resourceVersion; a write that changes nothing is a no-op (no new
 * resourceVersion, no event). Create sets {@code uid}, {@code creationTimestamp} (from the {@link Clock}) and
 * {@code generation}; generation is bumped when anything but metadata and status changes. Errors are Kubernetes
 * {@code Status} objects. Namespaces need not exist; there are no finalizers, admission or validation.
 *
 * <h2>Watch</h2>
 * {@code ?watch=true|1} with {@code resourceVersion}, {@code allowWatchBookmarks}, {@code timeoutSeconds}, selectors:
 * a chunked response with one {@code {"type":...,"object":...}} JSON line per event. Without a resourceVersion (or
 * "0"), or with {@code sendInitialEvents=true} (then followed by a BOOKMARK annotated
 * {@code k8s.io/initial-events-end}), it starts with ADDED for every current object; otherwise it replays the history
 * after that version. BOOKMARKs
 * are sent every {@link Builder#bookmarkInterval} while idle when allowed. {@link #compact()} drops the history: open
 * watches and watches from older versions get an ERROR event with a 410 Expired Status (clients must relist).
 *
 * <h2>Test support</h2>
 * {@link #faults()} (failures with Retry-After, delays, dropped watches), {@link #requests()} and
 * {@link #patchCount}, and direct Java access ({@link #put}, {@link #get}, {@link #delete}, {@link #list}) that
 * bypasses faults and recording. Thread-safe; starts and stops in milliseconds.
 *
 * <p>Loading this class sets the system property {@code sun.net.httpserver.nodelay=true} unless it is set (the JDK
 * reads it when its first {@code HttpServer} starts): without it every response waits ~40 ms for a delayed ACK.
 */
public final class FakeKubeApiServer implements AutoCloseable {

    /** Kueue API group. */
    public static final String KUEUE_GROUP = ResourceKind.KUEUE;

    private static final List<String> KUEUE_VERSIONS = List.of("v1beta1", "v1beta2");

    static {
        // com.sun.net.httpserver writes response headers and body separately; with Nagle's algorithm on, every small
        // response then waits for the client's delayed ACK (~40 ms). Read once, when the JDK's first HttpServer starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
    private static final long DEFAULT_WATCH_TIMEOUT_SECONDS = 1800;

    private final HttpServer http;
    private final ExecutorService executor;
    private final ObjectStore store;
    private final Faults faults;
    private final Duration bookmarkInterval;
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> patches = new ConcurrentHashMap<>();
    private final AtomicInteger pages = new AtomicInteger();
    private final List<AuditedWrite> audited = Collections.synchronizedList(new ArrayList<>());
    private volatile String[] auditLease;
    private volatile List<String> servedKueueVersions;
    private volatile boolean closed;

    private FakeKubeApiServer(Builder b) throws IOException {
        this.store = new ObjectStore(b.clock, b.historyLimit);
        this.bookmarkInterval = b.bookmarkInterval;
        this.servedKueueVersions = b.kueueVersions;
        this.faults = new Faults(this::dropWatches);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-kube-api-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Starts a server with defaults (system UTC clock, 1 s bookmarks, both Kueue versions). */
    public static FakeKubeApiServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link FakeKubeApiServer}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration bookmarkInterval = Duration.ofSeconds(1);
        private List<String> kueueVersions = KUEUE_VERSIONS;
        private int historyLimit = 100_000;

        private Builder() {
        }

        /** Clock for creation timestamps. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Idle time between BOOKMARK events on watches that allow them (default 1 s). */
        public Builder bookmarkInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("bookmark interval must be positive: " + interval);
            }
            this.bookmarkInterval = interval;
            return this;
        }

        /** Kueue versions to serve, e.g. only {@code "v1beta1"} for Kueue &le; v0.14 (default both). */
        public Builder servedKueueVersions(String... versions) {
            this.kueueVersions = checkKueueVersions(versions);
            return this;
        }

        /** Events kept for watch replay (default 100,000); older ones are compacted away as etcd would. */
        public Builder historyLimit(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("history limit must be >= 1: " + events);
            }
            this.historyLimit = events;
            return this;
        }

        public FakeKubeApiServer start() {
            try {
                return new FakeKubeApiServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start fake API server", e);
            }
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    public Faults faults() {
        return faults;
    }

    /** Changes the Kueue versions served from now on (e.g. before a client runs discovery). */
    public void serveKueueVersions(String... versions) {
        this.servedKueueVersions = checkKueueVersions(versions);
    }

    /** Kueue versions served, oldest first; the last one is the preferred version. */
    public List<String> servedKueueVersions() {
        return servedKueueVersions;
    }

    /** Current global resourceVersion. */
    public long resourceVersion() {
        return store.resourceVersion();
    }

    /**
     * Number of watch streams currently open. A client that went away is noticed on the next write to its stream
     * (an event, or a BOOKMARK when it allowed them), so this may briefly count watches a client already closed.
     */
    public int openWatches() {
        return store.watchCount();
    }

    /** Drops the watch history; open watches end with a 410 Expired ERROR event. */
    public void compact() {
        store.compact();
    }

    /** Ends every open watch stream without an event. */
    public void dropWatches() {
        store.dropWatches();
    }

    /**
     * A write request (any method but GET, to anything but Leases) recorded while {@link #auditWritesAgainstLease}
     * is on: the request, the status answered (-1 when none was sent) and the holder of the audited Lease when the
     * request arrived (empty when none).
     */
    public record AuditedWrite(RecordedRequest request, int status, String leaseHolderAtArrival) {
        /** Whether the server accepted it (2xx). */
        public boolean succeeded() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * From now on, records every write request (see {@link AuditedWrite}) with the holder of Lease
     * {@code namespace/name} at its arrival: a test then checks that only the holder's writes succeeded.
     */
    public FakeKubeApiServer auditWritesAgainstLease(String namespace, String name) {
        auditLease = new String[]{Objects.requireNonNull(namespace), Objects.requireNonNull(name)};
        return this;
    }

    /** The audited writes so far, in arrival order. */
    public List<AuditedWrite> auditedWrites() {
        synchronized (audited) {
            return List.copyOf(audited);
        }
    }

    /** Number of paged list responses ({@code limit} or {@code continue} given) served so far. */
    public int pagedLists() {
        return pages.get();
    }

    /** A copy of the requests received so far, in order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Forgets recorded requests and PATCH counts. */
    public void clearRequests() {
        requests.clear();
        patches.clear();
    }

    /**
     * PATCH requests received for one object (main resource and {@code /status}, any version, failed ones included).
     *
     * @param namespace namespace, or null/empty for cluster-scoped objects
     */
    public int patchCount(String plural, String namespace, String name) {
        AtomicInteger n = patches.get(plural + "/" + (namespace == null ? "" : namespace) + "/" + name);
        return n == null ? 0 : n.get();
    }

    // ------------------------------------------------------------------------------------------ direct access

    /**
     * The API path of a collection (name null) or an object, e.g.
     * {@code path("kueue.x-k8s.io", "v1beta2", "workloads", "ns", "w")}; group "" is the core API.
     */
    public static String path(String group, String version, String plural, String namespace, String name) {
        StringBuilder b = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
        if (namespace != null && !namespace.isEmpty()) {
            b.append("/namespaces/").append(namespace);
        }
        b.append('/').append(plural);
        if (name != null) {
            b.append('/').append(name);
        }
        return b.toString();
    }

    /**
     * Creates or replaces an object (status included; uid and creationTimestamp are kept from an existing object when
     * not given), emitting ADDED/MODIFIED. The path is a collection or object path; the name comes from the object.
     *
     * @return the stored object, in the version of the path
     */
    public Map<String, Object> put(String apiPath, Map<String, ?> object) {
        Target t = resolve(apiPath, false);
        Map<String, Object> obj = Json.copyMap(object);
        return out(t, store.upsert(t.kind, namespaceFor(t, obj), t.kind.convert(obj, t.kind.storageVersion())));
    }

    public Map<String, Object> put(String group, String version, String plural, String namespace, Map<String, ?> object) {
        return put(path(group, version, plural, namespace, null), object);
    }

    /** The object at an object path, in the path's version. */
    public Optional<Map<String, Object>> get(String apiPath) {
        Target t = resolve(apiPath, false);
        Map<String, Object> o = store.get(t.kind, t.namespace, requireName(t));
        return Optional.ofNullable(o == null ? null : out(t, o));
    }

    public Optional<Map<String, Object>> get(String group, String version, String plural, String namespace, String name) {
        return get(path(group, version, plural, namespace, name));
    }

    /** Deletes the object at an object path (emitting DELETED); false when there was none. */
    public boolean delete(String apiPath) {
        Target t = resolve(apiPath, false);
        try {
            store.delete(t.kind, t.namespace, requireName(t), "", "");
            return true;
        } catch (ApiError e) {
            return false;
        }
    }

    public boolean delete(String group, String version, String plural, String namespace, String name) {
        return delete(path(group, version, plural, namespace, name));
    }

    /** All objects of a collection path (all namespaces when the path has none), sorted by namespace and name. */
    public List<Map<String, Object>> list(String apiPath) {
        Target t = resolve(apiPath, false);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> o : store.list(t.kind, t.namespace, x -> true).items()) {
            out.add(out(t, o));
        }
        return out;
    }

    /** Stops the server and ends all watches; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        store.dropWatches();
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ HTTP

    /** What a path addresses: a resource type in a version, maybe a namespace, name and subresource. */
    private record Target(ResourceKind kind, String version, String namespace, String name, String subresource) {
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String method = ex.getRequestMethod();
            URI uri = ex.getRequestURI();
            String path = uri.getRawPath();
            String query = uri.getRawQuery();
            byte[] body = ex.getRequestBody().readAllBytes();
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            RecordedRequest recorded = new RecordedRequest(method, query == null ? path : path + "?" + query,
                    contentType, new String(body, StandardCharsets.UTF_8), ex.getRequestHeaders().getFirst("User-Agent"));
            requests.add(recorded);
            String[] lease = auditLease;
            boolean audit = lease != null && !method.equals("GET") && !path.contains("/leases");
            String holderAtArrival = audit ? store.leaseHolder(lease[0], lease[1]) : null;
            try {
                countPatch(method, path);
                Duration delay = faults.delayFor(method, path, recorded.isWatch(), recorded.userAgent());
                if (!delay.isZero()) {
                    Thread.sleep(delay.toMillis());
                }
                Faults.Failure f = faults.consume(method, path, recorded.isWatch(), recorded.userAgent());
                if (f != null) {
                    if (f.retryAfterSeconds() >= 0) {
                        ex.getResponseHeaders().set("Retry-After", Integer.toString(f.retryAfterSeconds()));
                    }
                    throw new ApiError(f.status(), "injected fault: " + method + " " + path + " answered " + f.status());
                }
                serve(ex, method, path, params(query), contentType == null ? "" : contentType, body);
            } catch (ApiError e) {
                send(ex, e.code, e.status());
            } catch (RuntimeException e) {
                send(ex, 500, ApiError.status(500, "InternalError", "fake server failed: " + e));
            } finally {
                if (audit) {
                    audited.add(new AuditedWrite(recorded, ex.getResponseCode(), holderAtArrival));
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void countPatch(String method, String path) {
        if (method.equals("PATCH")) {
            try {
                Target t = resolve(path, false);
                if (t.name != null) {
                    String ns = t.namespace == null ? "" : t.namespace;
                    patches.computeIfAbsent(t.kind.plural() + "/" + ns + "/" + t.name, k -> new AtomicInteger())
                            .incrementAndGet();
                }
            } catch (ApiError e) {
                // not an object path; nothing to count
            }
        }
    }

    private void serve(HttpExchange ex, String method, String path, Map<String, String> q, String contentType,
                       byte[] body) throws IOException, InterruptedException {
        Object doc = discovery(path);
        if (doc != null) {
            if (!method.equals("GET")) {
                throw new ApiError(405, "the server does not allow this method on the requested resource");
            }
            send(ex, 200, doc);
            return;
        }
        Target t = resolve(path, true);
        String storage = t.kind.storageVersion();
        boolean status = "status".equals(t.subresource);
        switch (method) {
            case "GET" -> {
                if (t.name != null) {
                    Map<String, Object> o = store.get(t.kind, t.namespace, t.name);
                    if (o == null) {
                        throw ApiError.notFound(t.kind, t.name);
                    }
                    send(ex, 200, out(t, o));
                } else if ("true".equals(q.get("watch")) || "1".equals(q.get("watch"))) {
                    watch(ex, t, q);
                } else {
                    list(ex, t, q);
                }
            }
            case "POST" -> {
                if (t.name != null) {
                    throw new ApiError(405, "POST is only allowed on collections");
                }
                Map<String, Object> obj = bodyObject(body);
                send(ex, 201, out(t, store.create(t.kind, namespaceFor(t, obj), t.kind.convert(obj, storage))));
            }
            case "PUT" -> {
                Map<String, Object> obj = bodyObject(body);
                String bodyName = Json.str(obj, "metadata", "name");
                if (!bodyName.isEmpty() && !bodyName.equals(requireName(t))) {
                    throw new ApiError(400, "the name of the object (" + bodyName
                            + ") does not match the name on the URL (" + t.name + ")");
                }
                send(ex, 200, out(t, store.update(t.kind, t.namespace, requireName(t), cur -> {
                    String uid = Json.str(obj, "metadata", "uid");
                    if (!uid.isEmpty() && !uid.equals(Json.str(cur, "metadata", "uid"))) {
                        throw new ApiError(409, "Conflict", "Precondition failed: UID in precondition: " + uid
                                + ", UID in object meta: " + Json.str(cur, "metadata", "uid"));
                    }
                    return t.kind.convert(obj, storage);
                }, status)));
            }
            case "PATCH" -> {
                String type = contentType.split(";")[0].trim();
                boolean jsonPatch = type.equals("application/json-patch+json");
                if (!jsonPatch && !type.equals("application/merge-patch+json")
                        && !type.equals("application/strategic-merge-patch+json")) {
                    throw new ApiError(415, "the fake server supports merge, strategic-merge (as merge) and JSON "
                            + "patches, not '" + contentType + "'");
                }
                Object patch = jsonPatch ? bodyJson(body) : bodyObject(body);
                send(ex, 200, out(t, store.update(t.kind, t.namespace, requireName(t), cur -> {
                    Object current = t.kind.convert(cur, t.version);
                    Map<String, Object> patched = asMap(jsonPatch ? JsonPatch.apply(current, patch)
                            : Json.mergePatch(current, patch));
                    String uid = Json.str(patched, "metadata", "uid");
                    if (!uid.equals(Json.str(cur, "metadata", "uid"))) {
                        throw new ApiError(422, "Invalid", t.kind.kind() + " \"" + t.name + "\" is invalid: "
                                + "metadata.uid: Invalid value: \"" + uid + "\": field is immutable");
                    }
                    return t.kind.convert(patched, storage);
                }, status)));
            }
            case "DELETE" -> {
                Map<String, Object> options = body.length == 0 ? Map.of() : bodyObject(body);
                send(ex, 200, out(t, store.delete(t.kind, t.namespace, requireName(t),
                        Json.str(options, "preconditions", "uid"), Json.str(options, "preconditions", "resourceVersion"))));
            }
            default -> throw new ApiError(405, "method " + method + " is not supported");
        }
    }

    private void list(HttpExchange ex, Target t, Map<String, String> q) throws IOException {
        int limit = 0;
        if (q.containsKey("limit") && !q.get("limit").isEmpty()) {
            try {
                limit = Integer.parseInt(q.get("limit"));
            } catch (NumberFormatException e) {
                throw new ApiError(400, "invalid limit '" + q.get("limit") + "'");
            }
            if (limit < 0) {
                throw new ApiError(400, "limit must not be negative: " + limit);
            }
        }
        String cont = q.getOrDefault("continue", "");
        long tokenRv = -1;
        String afterKey = null;
        if (!cont.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(cont), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "invalid continue token");
            }
            int nl = decoded.indexOf('\n');
            try {
                tokenRv = nl < 0 ? -1 : Long.parseLong(decoded.substring(0, nl));
            } catch (NumberFormatException e) {
                tokenRv = -1;
            }
            if (tokenRv < 0) {
                throw new ApiError(400, "invalid continue token");
            }
            if (tokenRv < store.compactedResourceVersion()) {
                throw new ApiError(410, "Expired", "The provided continue parameter is too old to display a consistent "
                        + "list result. You can start a new list without the continue parameter.");
            }
            afterKey = decoded.substring(nl + 1);
        }
        List<Object> items = new ArrayList<>();
        Map<String, Object> meta = new LinkedHashMap<>();
        if (limit == 0 && afterKey == null) {
            ObjectStore.ListResult r = store.list(t.kind, t.namespace, selector(q));
            for (Map<String, Object> o : r.items()) {
                items.add(out(t, o));
            }
            meta.put("resourceVersion", Long.toString(r.resourceVersion()));
        } else {
            ObjectStore.Page p = store.page(t.kind, t.namespace, selector(q), afterKey,
                    limit == 0 ? Integer.MAX_VALUE : limit);
            for (Map<String, Object> o : p.items()) {
                items.add(out(t, o));
            }
            long rv = tokenRv >= 0 ? tokenRv : p.resourceVersion();
            meta.put("resourceVersion", Long.toString(rv));
            if (p.more()) {
                meta.put("continue", Base64.getUrlEncoder().withoutPadding()
                        .encodeToString((rv + "\n" + p.lastKey()).getBytes(StandardCharsets.UTF_8)));
            }
            pages.incrementAndGet();
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("kind", t.kind.kind() + "List");
        list.put("apiVersion", ResourceKind.apiVersion(t.kind.group(), t.version));
        list.put("metadata", meta);
        list.put("items", items);
        send(ex, 200, list);
    }

    private void watch(HttpExchange ex, Target t, Map<String, String> q) throws IOException, InterruptedException {
        String rvParam = q.getOrDefault("resourceVersion", "");
        Long from;
        try {
            from = rvParam.isEmpty() || rvParam.equals("0") ? null : Long.valueOf(rvParam);
        } catch (NumberFormatException e) {
            throw new ApiError(400, "invalid resourceVersion '" + rvParam + "'");
        }
        boolean bookmarks = "true".equals(q.get("allowWatchBookmarks")) || "1".equals(q.get("allowWatchBookmarks"));
        long timeoutSeconds = DEFAULT_WATCH_TIMEOUT_SECONDS;
        if (q.containsKey("timeoutSeconds")) {
            try {
                timeoutSeconds = Long.parseLong(q.get("timeoutSeconds"));
            } catch (NumberFormatException e) {
                throw new ApiError(400, "invalid timeoutSeconds '" + q.get("timeoutSeconds") + "'");
            }
        }
        ObjectStore.Watcher w = new ObjectStore.Watcher(t.kind, t.namespace, selector(q));
        if (closed) {
            throw new ApiError(503, "server is shutting down");
        }
        boolean initialEvents = "true".equals(q.get("sendInitialEvents"));
        store.register(w, initialEvents ? null : from, initialEvents);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        OutputStream os = ex.getResponseBody();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(timeoutSeconds, 0));
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Object m = w.queue.poll(Math.min(left, bookmarkInterval.toNanos()), TimeUnit.NANOSECONDS);
                if (m == null) {
                    long rv = bookmarks ? store.bookmarkRv(w) : -1;
                    if (rv >= 0) {
                        writeEvent(os, "BOOKMARK", bookmark(t, Map.of("resourceVersion", Long.toString(rv))));
                    }
                } else if (m == ObjectStore.Signal.END) {
                    break;
                } else if (m instanceof ObjectStore.InitialEventsEnd end) {
                    writeEvent(os, "BOOKMARK", bookmark(t, Map.of("resourceVersion", Long.toString(end.rv()),
                            "annotations", Map.of("k8s.io/initial-events-end", "true"))));
                } else if (m == ObjectStore.Signal.EXPIRED) {
                    writeEvent(os, "ERROR", ApiError.status(410, "Expired",
                            "too old resource version: " + rvParam + " (" + store.resourceVersion() + ")"));
                    break;
                } else {
                    ObjectStore.Event e = (ObjectStore.Event) m;
                    deliver(os, t, w, e);
                }
            }
        } finally {
            store.unregister(w);
        }
        os.close();
    }

    private static Map<String, Object> bookmark(Target t, Map<String, Object> metadata) {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("kind", t.kind.kind());
        obj.put("apiVersion", ResourceKind.apiVersion(t.kind.group(), t.version));
        obj.put("metadata", metadata);
        return obj;
    }

    /** Writes an event as the watch sees it: selector transitions turn MODIFIED into ADDED or DELETED. */
    private void deliver(OutputStream os, Target t, ObjectStore.Watcher w, ObjectStore.Event e) throws IOException {
        boolean now = w.inScope(e.object()) && w.selector.test(e.object());
        boolean before = e.old() != null && w.inScope(e.old()) && w.selector.test(e.old());
        switch (e.type()) {
            case "ADDED" -> {
                if (now) {
                    writeEvent(os, "ADDED", out(t, e.object()));
                }
            }
            case "DELETED" -> {
                if (now) {
                    writeEvent(os, "DELETED", out(t, e.object()));
                }
            }
            default -> {
                if (now) {
                    writeEvent(os, before ? "MODIFIED" : "ADDED", out(t, e.object()));
                } else if (before) {
                    Map<String, Object> gone = out(t, e.old());
                    Json.child(gone, "metadata").put("resourceVersion", Long.toString(e.rv()));
                    writeEvent(os, "DELETED", gone);
                }
            }
        }
    }

    private static void writeEvent(OutputStream os, String type, Map<String, Object> object) throws IOException {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("type", type);
        ev.put("object", object);
        byte[] line = (Json.writeString(ev) + "\n").getBytes(StandardCharsets.UTF_8);
        os.write(line);
        os.flush();
    }

    private static Predicate<Map<String, Object>> selector(Map<String, String> q) {
        return Selector.labels(q.get("labelSelector")).and(Selector.fields(q.get("fieldSelector")));
    }

    private Map<String, Object> out(Target t, Map<String, Object> stored) {
        return t.kind.convert(stored, t.version);
    }

    /** Namespace of a write: from the path, else from the object (direct access with a collection path). */
    private static String namespaceFor(Target t, Map<String, Object> obj) {
        if (!t.kind.namespaced()) {
            return null;
        }
        return t.namespace != null ? t.namespace : Json.str(obj, "metadata", "namespace");
    }

    private static String requireName(Target t) {
        if (t.name == null) {
            throw new ApiError(405, "this operation needs an object path, not the collection of " + t.kind.plural());
        }
        return t.name;
    }

    private static Map<String, Object> bodyObject(byte[] body) {
        return asMap(bodyJson(body));
    }

    private static Object bodyJson(byte[] body) {
        try {
            return Json.parse(body);
        } catch (IOException e) {
            throw new ApiError(400, "request body is not valid JSON: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw new ApiError(400, "request body must be a JSON object");
        }
        return (Map<String, Object>) o;
    }

    /**
     * Resolves {@code /api/v1/...} or {@code /apis/{group}/{version}/...} to a resource target.
     *
     * @param servedOnly when true, versions not currently served are 404 (HTTP); direct access accepts all
     */
    private Target resolve(String rawPath, boolean servedOnly) {
        List<String> seg = segments(rawPath);
        String group;
        String version;
        int i;
        if (seg.size() >= 2 && seg.get(0).equals("api")) {
            group = "";
            version = seg.get(1);
            i = 2;
        } else if (seg.size() >= 3 && seg.get(0).equals("apis")) {
            group = seg.get(1);
            version = seg.get(2);
            i = 3;
        } else {
            throw new ApiError(404, "the server could not find the requested resource (" + rawPath + ")");
        }
        List<String> rest = seg.subList(i, seg.size());
        String ns = null;
        if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !rest.get(2).equals("status")) {
            ns = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        ResourceKind k = rest.isEmpty() ? null : ResourceKind.find(group, rest.get(0));
        boolean served = k != null && (servedOnly ? served(group) : k.versions()).contains(version);
        if (!served || rest.size() > 3 || (ns != null && !k.namespaced())) {
            throw new ApiError(404, "the server could not find the requested resource (" + rawPath + ")");
        }
        String name = rest.size() > 1 ? rest.get(1) : null;
        String sub = rest.size() > 2 ? rest.get(2) : null;
        if (sub != null && !(sub.equals("status") && k.statusSubresource())) {
            throw new ApiError(404, "the server could not find the requested resource (" + rawPath + ")");
        }
        return new Target(k, version, k.namespaced() ? ns : null, name, sub);
    }

    private List<String> served(String group) {
        return switch (group) {
            case "", ResourceKind.COORDINATION -> List.of("v1");
            case ResourceKind.KUEUE -> servedKueueVersions;
            default -> List.of();
        };
    }

    /** Discovery documents, or null when the path is not a discovery path. */
    private Object discovery(String rawPath) {
        List<String> seg = segments(rawPath);
        if (seg.equals(List.of("version"))) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("major", "1");
            v.put("minor", "33");
            v.put("gitVersion", "v1.33.0-wdrf-fake");
            v.put("platform", "linux/amd64");
            return v;
        }
        if (seg.equals(List.of("api"))) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("kind", "APIVersions");
            v.put("versions", List.of("v1"));
            v.put("serverAddressByClientCIDRs", List.of(Map.of("clientCIDR", "0.0.0.0/0",
                    "serverAddress", "127.0.0.1:" + http.getAddress().getPort())));
            return v;
        }
        if (seg.equals(List.of("apis"))) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("kind", "APIGroupList");
            v.put("apiVersion", "v1");
            v.put("groups", List.of(group(ResourceKind.COORDINATION), group(ResourceKind.KUEUE)));
            return v;
        }
        if (seg.size() == 2 && seg.get(0).equals("apis") && !served(seg.get(1)).isEmpty()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("kind", "APIGroup");
            g.put("apiVersion", "v1");
            g.putAll(group(seg.get(1)));
            return g;
        }
        String group = seg.size() == 2 && seg.get(0).equals("api") ? ""
                : seg.size() == 3 && seg.get(0).equals("apis") ? seg.get(1) : null;
        String version = group == null ? null : seg.get(seg.size() - 1);
        if (group == null || !served(group).contains(version)) {
            return null;
        }
        List<Object> resources = new ArrayList<>();
        for (ResourceKind k : ResourceKind.ALL) {
            if (k.group().equals(group)) {
                resources.addAll(k.discovery());
            }
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", ResourceKind.apiVersion(group, version));
        list.put("resources", resources);
        return list;
    }

    /** An APIGroup body: versions preferred (newest) first. */
    private Map<String, Object> group(String name) {
        List<Object> versions = new ArrayList<>();
        List<String> served = new ArrayList<>(served(name));
        Collections.reverse(served);
        for (String v : served) {
            versions.add(Map.of("groupVersion", name + "/" + v, "version", v));
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("name", name);
        g.put("versions", versions);
        g.put("preferredVersion", versions.get(0));
        return g;
    }

    private static List<String> segments(String rawPath) {
        List<String> seg = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                seg.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return seg;
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> q = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String p : rawQuery.split("&")) {
                int eq = p.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
                q.put(k, eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void send(HttpExchange ex, int code, Object body) throws IOException {
        byte[] bytes = Json.write(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static List<String> checkKueueVersions(String... versions) {
        List<String> v = new ArrayList<>();
        for (String s : KUEUE_VERSIONS) {
            if (List.of(versions).contains(s)) {
                v.add(s);
            }
        }
        if (v.isEmpty() || v.size() != versions.length) {
            throw new IllegalArgumentException("Kueue versions must be a non-empty subset of " + KUEUE_VERSIONS
                    + ", got " + List.of(versions));
        }
        return List.copyOf(v);
    }
}
