package io.wdrf.backend.common;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Projected records of every watched kind, keyed by kind and {@code namespace/name}, plus the objects that
 * could not be projected.
 *
 * <p>Backends feed it from watch events ({@link #put(Projected)}, {@link #remove}); the engine reads immutable
 * {@link #snapshot(Clock) snapshots}. Promises: thread-safe; a snapshot is consistent (taken under a read lock
 * that every mutation excludes) and sorted by key, so it never depends on event or hash order; an object is
 * either a record or an invalid entry, never both; listeners are called after a change that altered the content
 * (an identical re-put is not a change), outside the lock, and never after {@link #close()}; a throwing listener
 * does not stop the others.
 */
public final class ProjectedStore implements AutoCloseable {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final EnumMap<ResourceKind, TreeMap<String, Object>> records = new EnumMap<>(ResourceKind.class);
    private final EnumMap<ResourceKind, TreeMap<String, InvalidObject>> invalid = new EnumMap<>(ResourceKind.class);
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Immutable per-kind lists of the last snapshot; a kind is rebuilt only after it changed. */
    private final EnumMap<ResourceKind, List<Object>> cachedValues = new EnumMap<>(ResourceKind.class);
    private final EnumMap<ResourceKind, Boolean> dirty = new EnumMap<>(ResourceKind.class);
    private List<InvalidObject> cachedInvalid = List.of();
    private boolean invalidDirty = true;
    private final Object snapshotLock = new Object();
    private final AtomicLong version = new AtomicLong();
    private final Consumer<RuntimeException> listenerErrors;
    private volatile boolean closed;

    /** A store whose listener failures are ignored. */
    public ProjectedStore() {
        this(e -> { });
    }

    /** A store reporting listener failures to {@code listenerErrors}. */
    public ProjectedStore(Consumer<RuntimeException> listenerErrors) {
        this.listenerErrors = Objects.requireNonNull(listenerErrors, "listenerErrors");
        for (ResourceKind k : ResourceKind.values()) {
            records.put(k, new TreeMap<>());
            invalid.put(k, new TreeMap<>());
            dirty.put(k, true);
        }
    }

    /** Store key of an object: {@code namespace/name}, or {@code name} when the namespace is empty. */
    public static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** Adds or replaces the projection of one object; returns true when the content changed. */
    public boolean put(Projected<?> p) {
        boolean changed;
        String key = p.key();
        lock.writeLock().lock();
        try {
            if (p.isValid()) {
                Object old = records.get(p.kind()).put(key, p.value());
                InvalidObject oldInvalid = invalid.get(p.kind()).remove(key);
                changed = oldInvalid != null || !p.value().equals(old);
                markDirty(p.kind(), old != p.value(), oldInvalid != null);
            } else {
                Object old = records.get(p.kind()).remove(key);
                InvalidObject oldInvalid = invalid.get(p.kind()).put(key, p.invalid());
                changed = old != null || !p.invalid().equals(oldInvalid);
                markDirty(p.kind(), old != null, true);
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (changed) {
            changed();
        }
        return changed;
    }

    /** Removes an object (record or invalid entry); returns true when something was removed. */
    public boolean remove(ResourceKind kind, String namespace, String name) {
        return remove(kind, namespace, name, null);
    }

    /**
     * Removes an object unless the stored record carries another, non-empty uid than {@code uid}: a delete event
     * that arrives after the object was re-created under the same name must not remove the new one.
     *
     * @param uid uid of the deleted object, or null/empty when unknown (then it is removed unconditionally)
     */
    public boolean remove(ResourceKind kind, String namespace, String name, String uid) {
        String key = key(namespace, name);
        boolean changed;
        lock.writeLock().lock();
        try {
            if (uid != null && !uid.isEmpty()) {
                String stored = uidOf(records.get(kind).get(key));
                if (stored != null && !stored.isEmpty() && !stored.equals(uid)) {
                    return false;
                }
            }
            boolean rec = records.get(kind).remove(key) != null;
            boolean inv = invalid.get(kind).remove(key) != null;
            markDirty(kind, rec, inv);
            changed = rec || inv;
        } finally {
            lock.writeLock().unlock();
        }
        if (changed) {
            changed();
        }
        return changed;
    }

    /**
     * Replaces everything of {@code kind} by {@code items} (a full relist); returns true when the content changed.
     */
    public boolean replaceAll(ResourceKind kind, List<? extends Projected<?>> items) {
        TreeMap<String, Object> newRecords = new TreeMap<>();
        TreeMap<String, InvalidObject> newInvalid = new TreeMap<>();
        for (Projected<?> p : items) {
            if (p.kind() != kind) {
                throw new IllegalArgumentException("expected " + kind + ", got " + p.kind());
            }
            if (p.isValid()) {
                newRecords.put(p.key(), p.value());
            } else {
                newInvalid.put(p.key(), p.invalid());
            }
        }
        boolean changed;
        lock.writeLock().lock();
        try {
            changed = !newRecords.equals(records.get(kind)) || !newInvalid.equals(invalid.get(kind));
            records.put(kind, newRecords);
            invalid.put(kind, newInvalid);
            markDirty(kind, true, true);
        } finally {
            lock.writeLock().unlock();
        }
        if (changed) {
            changed();
        }
        return changed;
    }

    private static String uidOf(Object record) {
        if (record instanceof Workload w) {
            return w.uid();
        }
        if (record instanceof io.wdrf.api.PodInfo p) {
            return p.uid();
        }
        return null;
    }

    /** The projected workload, or null when absent or invalid. */
    public Workload workload(WorkloadId id) {
        return (Workload) get(ResourceKind.WORKLOAD, id.namespace(), id.name());
    }

    /** The record stored for an object, or null. */
    public Object get(ResourceKind kind, String namespace, String name) {
        lock.readLock().lock();
        try {
            return records.get(kind).get(key(namespace, name));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The invalid entry stored for an object, or null. */
    public InvalidObject invalid(ResourceKind kind, String namespace, String name) {
        lock.readLock().lock();
        try {
            return invalid.get(kind).get(key(namespace, name));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Number of valid records of a kind. */
    public int size(ResourceKind kind) {
        lock.readLock().lock();
        try {
            return records.get(kind).size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Keys of records and invalid entries of a kind, ascending. */
    public List<String> keys(ResourceKind kind) {
        lock.readLock().lock();
        try {
            TreeMap<String, Boolean> all = new TreeMap<>();
            records.get(kind).keySet().forEach(k -> all.put(k, true));
            invalid.get(kind).keySet().forEach(k -> all.put(k, false));
            return new ArrayList<>(all.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Monotonic counter bumped by every content change. */
    public long version() {
        return version.get();
    }

    /** Called under the write lock. */
    private void markDirty(ResourceKind kind, boolean recordsChanged, boolean invalidChanged) {
        if (recordsChanged) {
            dirty.put(kind, true);
        }
        if (invalidChanged) {
            invalidDirty = true;
        }
    }

    /**
     * An immutable, consistent view of everything, stamped with {@code clock.instant()}. Cheap when little changed:
     * the immutable list of a kind is rebuilt only after that kind changed, and otherwise shared with the previous
     * snapshot.
     */
    public ClusterSnapshot snapshot(Clock clock) {
        EnumMap<ResourceKind, List<Object>> lists = new EnumMap<>(ResourceKind.class);
        List<InvalidObject> bad;
        synchronized (snapshotLock) {
            lock.readLock().lock();
            try {
                // writers are excluded by the read lock and other snapshots by snapshotLock
                for (ResourceKind k : ResourceKind.values()) {
                    if (dirty.get(k) || !cachedValues.containsKey(k)) {
                        cachedValues.put(k, List.copyOf(records.get(k).values()));
                        dirty.put(k, false);
                    }
                    lists.put(k, cachedValues.get(k));
                }
                if (invalidDirty) {
                    List<InvalidObject> all = new ArrayList<>();
                    for (Map<String, InvalidObject> m : invalid.values()) {
                        all.addAll(m.values());
                    }
                    cachedInvalid = List.copyOf(all);
                    invalidDirty = false;
                }
                bad = cachedInvalid;
            } finally {
                lock.readLock().unlock();
            }
        }
        return new ClusterSnapshot(clock.instant(), cast(lists.get(ResourceKind.WORKLOAD)),
                cast(lists.get(ResourceKind.NODE)), cast(lists.get(ResourceKind.POD)),
                cast(lists.get(ResourceKind.CLUSTER_QUEUE)), cast(lists.get(ResourceKind.LOCAL_QUEUE)),
                cast(lists.get(ResourceKind.RESOURCE_FLAVOR)), cast(lists.get(ResourceKind.NAMESPACE)), bad);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<Object> l) {
        return (List<T>) (List<?>) l;
    }

    /**
     * Registers a change listener.
     *
     * @return a handle whose {@code close()} removes it
     */
    public AutoCloseable addChangeListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void changed() {
        version.incrementAndGet();
        if (closed) {
            return;
        }
        for (Runnable l : listeners) {
            if (closed) {
                return;
            }
            try {
                l.run();
            } catch (RuntimeException e) {
                listenerErrors.accept(e);
            }
        }
    }

    /** Stops notifying listeners; the content stays readable. Idempotent. */
    @Override
    public void close() {
        closed = true;
        listeners.clear();
    }
}
