package io.wdrf.testkit;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The in-memory object store: one map per resource type (objects kept in the storage version), a global
 * resourceVersion counter bumped by every write, a bounded event history for watch replay, and the open watches.
 * Every method is atomic (synchronized); stored maps are never mutated after insertion, so events can share them.
 */
final class ObjectStore {

    /** A change, as kept in the history and queued to watches. {@code old} is null for ADDED. */
    record Event(long rv, String type, ResourceKind kind, Map<String, Object> object, Map<String, Object> old) {
    }

    /** Control messages queued to a watch besides events. */
    enum Signal { END, EXPIRED }

    /** Queued after the initial ADDED events of a {@code sendInitialEvents} watch: the state was complete at rv. */
    record InitialEventsEnd(long rv) {
    }

    /** An open watch: what it selects and its delivery queue (events and signals). */
    static final class Watcher {
        final ResourceKind kind;
        final String namespace;
        final Predicate<Map<String, Object>> selector;
        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

        Watcher(ResourceKind kind, String namespace, Predicate<Map<String, Object>> selector) {
            this.kind = kind;
            this.namespace = namespace;
            this.selector = selector;
        }

        boolean inScope(Map<String, Object> obj) {
            return namespace == null || namespace.equals(Json.str(obj, "metadata", "namespace"));
        }
    }

    /** A consistent list: items (copies, storage version) and the resourceVersion they were read at. */
    record ListResult(long resourceVersion, List<Map<String, Object>> items) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final Clock clock;
    private final int historyLimit;
    private final Map<String, TreeMap<String, Map<String, Object>>> objects = new HashMap<>();
    private final ArrayDeque<Event> history = new ArrayDeque<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private long rv;
    private long compactedRv;
    private long uids;

    ObjectStore(Clock clock, int historyLimit) {
        this.clock = clock;
        this.historyLimit = historyLimit;
    }

    synchronized long resourceVersion() {
        return rv;
    }

    synchronized int watchCount() {
        return watchers.size();
    }

    synchronized Map<String, Object> get(ResourceKind k, String ns, String name) {
        Map<String, Object> o = table(k).get(key(k, ns, name));
        return o == null ? null : Json.copyMap(o);
    }

    synchronized ListResult list(ResourceKind k, String ns, Predicate<Map<String, Object>> selector) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> o : table(k).values()) {
            if ((ns == null || ns.equals(Json.str(o, "metadata", "namespace"))) && selector.test(o)) {
                items.add(Json.copyMap(o));
            }
        }
        return new ListResult(rv, items);
    }

    /** One page of a list: the items, the key of the last one, and whether more match after it. */
    record Page(long resourceVersion, List<Map<String, Object>> items, String lastKey, boolean more) {
    }

    /**
     * Up to {@code limit} matching objects in key order after {@code afterKey} (null = from the start), with the
     * store's current resourceVersion.
     */
    synchronized Page page(ResourceKind k, String ns, Predicate<Map<String, Object>> selector, String afterKey,
                           int limit) {
        List<Map<String, Object>> items = new ArrayList<>();
        String last = null;
        boolean more = false;
        Map<String, Map<String, Object>> from = afterKey == null ? table(k) : table(k).tailMap(afterKey, false);
        for (Map.Entry<String, Map<String, Object>> e : from.entrySet()) {
            Map<String, Object> o = e.getValue();
            if ((ns == null || ns.equals(Json.str(o, "metadata", "namespace"))) && selector.test(o)) {
                if (items.size() == limit) {
                    more = true;
                    break;
                }
                items.add(Json.copyMap(o));
                last = e.getKey();
            }
        }
        return new Page(rv, items, last, more);
    }

    /** The oldest resourceVersion whose history is still kept (a continue token older than this has expired). */
    synchronized long compactedResourceVersion() {
        return compactedRv;
    }

    /** The holder identity of a Lease, or empty when absent or free. */
    synchronized String leaseHolder(String namespace, String name) {
        Map<String, Object> l = table(ResourceKind.find(ResourceKind.COORDINATION, "leases"))
                .get(key(ResourceKind.find(ResourceKind.COORDINATION, "leases"), namespace, name));
        return l == null ? "" : Json.str(l, "spec", "holderIdentity");
    }

    /** POST: creates or fails with 409 AlreadyExists. */
    synchronized Map<String, Object> create(ResourceKind k, String ns, Map<String, Object> obj) {
        Map<String, Object> o = Json.copyMap(obj);
        String name = prepareName(k, ns, o);
        if (table(k).containsKey(key(k, ns, name))) {
            throw ApiError.alreadyExists(k, name);
        }
        initMetadata(o, null);
        return commit(k, "ADDED", o, null);
    }

    /** Direct fixture write: creates or replaces everything (status included), keeping uid and creation time. */
    synchronized Map<String, Object> upsert(ResourceKind k, String ns, Map<String, Object> obj) {
        Map<String, Object> o = Json.copyMap(obj);
        String name = prepareName(k, ns, o);
        Map<String, Object> cur = table(k).get(key(k, ns, name));
        initMetadata(o, cur);
        return cur == null ? commit(k, "ADDED", o, null) : finishUpdate(k, cur, o);
    }

    /**
     * PUT or PATCH: {@code change} gets a copy of the stored object and returns the wanted object (storage version).
     * A non-empty {@code metadata.resourceVersion} in the result must equal the stored one (409 Conflict otherwise).
     * Identity metadata is kept; with a status subresource, main writes keep the stored status and status writes
     * change only the status. A write that changes nothing bumps nothing and emits no event.
     */
    synchronized Map<String, Object> update(ResourceKind k, String ns, String name,
                                            UnaryOperator<Map<String, Object>> change, boolean statusOnly) {
        Map<String, Object> cur = table(k).get(key(k, ns, name));
        if (cur == null) {
            throw ApiError.notFound(k, name);
        }
        Map<String, Object> wanted = change.apply(Json.copyMap(cur));
        String wantRv = Json.str(wanted, "metadata", "resourceVersion");
        String curRv = Json.str(cur, "metadata", "resourceVersion");
        if (!wantRv.isEmpty() && !wantRv.equals(curRv)) {
            throw ApiError.conflict(k, name,
                    "the object has been modified; please apply your changes to the latest version and try again");
        }
        Map<String, Object> next;
        if (statusOnly) {
            next = Json.copyMap(cur);
            putOrRemove(next, "status", wanted.get("status"));
        } else {
            next = wanted;
            Map<String, Object> meta = Json.child(next, "metadata");
            for (String f : List.of("name", "namespace", "uid", "creationTimestamp")) {
                putOrRemove(meta, f, Json.at(cur, "metadata", f));
            }
            if (k.statusSubresource()) {
                putOrRemove(next, "status", cur.get("status"));
            }
        }
        return finishUpdate(k, cur, next);
    }

    /** Deletes; non-empty {@code uid}/{@code resourceVersion} preconditions must match (409 Conflict otherwise). */
    synchronized Map<String, Object> delete(ResourceKind k, String ns, String name, String uid, String resourceVersion) {
        Map<String, Object> cur = table(k).get(key(k, ns, name));
        if (cur == null) {
            throw ApiError.notFound(k, name);
        }
        String curUid = Json.str(cur, "metadata", "uid");
        String curRv = Json.str(cur, "metadata", "resourceVersion");
        if (!uid.isEmpty() && !uid.equals(curUid)) {
            throw ApiError.conflict(k, name, "Precondition failed: UID in precondition: " + uid
                    + ", UID in object meta: " + curUid);
        }
        if (!resourceVersion.isEmpty() && !resourceVersion.equals(curRv)) {
            throw ApiError.conflict(k, name, "Precondition failed: ResourceVersion in precondition: " + resourceVersion
                    + ", ResourceVersion in object meta: " + curRv);
        }
        return commit(k, "DELETED", Json.copyMap(cur), cur);
    }

    /**
     * Registers a watch. With {@code fromRv} null (absent or "0") it first gets ADDED for every current object (then an
     * {@link InitialEventsEnd} when {@code markInitialEnd}); else
     * it gets the history after {@code fromRv}, or only an EXPIRED signal when that part of the history is gone.
     */
    synchronized void register(Watcher w, Long fromRv, boolean markInitialEnd) {
        if (fromRv == null) {
            for (Map<String, Object> o : table(w.kind).values()) {
                w.queue.add(new Event(Long.parseLong(Json.str(o, "metadata", "resourceVersion")), "ADDED", w.kind, o, null));
            }
            if (markInitialEnd) {
                w.queue.add(new InitialEventsEnd(rv));
            }
        } else if (fromRv < compactedRv) {
            w.queue.add(Signal.EXPIRED);
            return;
        } else {
            for (Event e : history) {
                if (e.rv > fromRv && e.kind.equals(w.kind)) {
                    w.queue.add(e);
                }
            }
        }
        watchers.add(w);
    }

    synchronized void unregister(Watcher w) {
        watchers.remove(w);
    }

    /** The resourceVersion a BOOKMARK may carry now: everything up to it was queued; -1 while events are queued. */
    synchronized long bookmarkRv(Watcher w) {
        return w.queue.isEmpty() ? rv : -1;
    }

    /** Drops the history: watches from an older resourceVersion and all open watches get 410 Expired. */
    synchronized void compact() {
        compactedRv = rv;
        history.clear();
        signalAll(Signal.EXPIRED);
    }

    /** Ends every open watch without an event. */
    synchronized void dropWatches() {
        signalAll(Signal.END);
    }

    private void signalAll(Signal s) {
        for (Watcher w : watchers) {
            w.queue.add(s);
        }
        watchers.clear();
    }

    private Map<String, Object> finishUpdate(ResourceKind k, Map<String, Object> cur, Map<String, Object> next) {
        Map<String, Object> meta = Json.child(next, "metadata");
        meta.put("resourceVersion", Json.at(cur, "metadata", "resourceVersion"));
        long gen = Json.at(cur, "metadata", "generation") instanceof Number n ? n.longValue() : 1L;
        meta.put("generation", Json.copy(sameIgnoring(cur, next, "metadata", "status") ? gen : gen + 1));
        if (Objects.equals(cur, next)) {
            return Json.copyMap(cur);
        }
        return commit(k, "MODIFIED", next, cur);
    }

    private static boolean sameIgnoring(Map<String, Object> a, Map<String, Object> b, String... keys) {
        Map<String, Object> x = new HashMap<>(a);
        Map<String, Object> y = new HashMap<>(b);
        for (String key : keys) {
            x.remove(key);
            y.remove(key);
        }
        return x.equals(y);
    }

    private Map<String, Object> commit(ResourceKind k, String type, Map<String, Object> obj, Map<String, Object> old) {
        long newRv = ++rv;
        Json.child(obj, "metadata").put("resourceVersion", Long.toString(newRv));
        String key = key(k, Json.str(obj, "metadata", "namespace"), Json.str(obj, "metadata", "name"));
        if (type.equals("DELETED")) {
            table(k).remove(key);
        } else {
            table(k).put(key, obj);
        }
        Event e = new Event(newRv, type, k, obj, old);
        history.addLast(e);
        while (history.size() > historyLimit) {
            compactedRv = history.removeFirst().rv;
        }
        for (Watcher w : watchers) {
            if (w.kind.equals(k)) {
                w.queue.add(e);
            }
        }
        return Json.copyMap(obj);
    }

    /** Validates name and namespace, fills namespace/kind defaults; returns the name. */
    private String prepareName(ResourceKind k, String ns, Map<String, Object> o) {
        Map<String, Object> meta = Json.child(o, "metadata");
        String name = Json.str(o, "metadata", "name");
        if (name.isEmpty() && !Json.str(o, "metadata", "generateName").isEmpty()) {
            name = Json.str(o, "metadata", "generateName") + String.format("%05x", (rv + 1) & 0xfffff);
            meta.put("name", name);
        }
        if (name.isEmpty()) {
            throw new ApiError(422, "Invalid", k.kind() + ": metadata.name: Required value: name or generateName is required");
        }
        if (k.namespaced()) {
            String bodyNs = Json.str(o, "metadata", "namespace");
            if (ns == null || ns.isEmpty()) {
                throw new ApiError(400, k.kind() + " " + name + " is namespaced but no namespace was given");
            }
            if (!bodyNs.isEmpty() && !bodyNs.equals(ns)) {
                throw new ApiError(400, "the namespace of the object (" + bodyNs
                        + ") does not match the namespace on the request (" + ns + ")");
            }
            meta.put("namespace", ns);
        } else {
            meta.remove("namespace");
        }
        o.putIfAbsent("kind", k.kind());
        return name;
    }

    private void initMetadata(Map<String, Object> o, Map<String, Object> cur) {
        Map<String, Object> meta = Json.child(o, "metadata");
        if (Json.str(o, "metadata", "uid").isEmpty()) {
            meta.put("uid", cur != null ? Json.str(cur, "metadata", "uid") : nextUid());
        }
        if (Json.str(o, "metadata", "creationTimestamp").isEmpty()) {
            meta.put("creationTimestamp", cur != null ? Json.str(cur, "metadata", "creationTimestamp")
                    : TIME.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        }
        meta.put("generation", 1);
        meta.remove("resourceVersion");
    }

    private String nextUid() {
        long n = ++uids;
        return String.format("%08x-0000-4000-8000-%012x", (int) (n >>> 48) ^ 0x77647266, n & 0xffffffffffffL);
    }

    private TreeMap<String, Map<String, Object>> table(ResourceKind k) {
        return objects.computeIfAbsent(k.key(), x -> new TreeMap<>());
    }

    private static String key(ResourceKind k, String ns, String name) {
        return (k.namespaced() ? ns : "") + "/" + name;
    }

    private static void putOrRemove(Map<String, Object> m, String key, Object value) {
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, Json.copy(value));
        }
    }
}
