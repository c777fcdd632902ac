package io.wdrf.engine;

import io.wdrf.api.WorkloadId;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map from workload id to a value, in one open-addressed table (linear probing, no per-entry objects).
 * A cycle's map is made from the last cycle's by copying its two arrays and applying the few changes ({@link Editor}),
 * so the ClusterQueue of 120k workloads is not hashed again every cycle; the last cycle's map is never modified.
 */
final class IdMap<V> extends AbstractMap<WorkloadId, V> {

    private final WorkloadId[] keys;
    private final Object[] values;
    private final int size;

    private IdMap(WorkloadId[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    private static int slot(WorkloadId id, int mask) {
        int h = id.hashCode() * 0x9E3779B9;
        return (h ^ (h >>> 15)) & mask;
    }

    private int find(Object key) {
        if (!(key instanceof WorkloadId id)) {
            return -1;
        }
        int mask = keys.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
            WorkloadId k = keys[i];
            if (k == null) {
                return -1;
            }
            if (k == id || k.equals(id)) {
                return i;
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = find(key);
        return i < 0 ? null : (V) values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<WorkloadId, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<WorkloadId, V>> iterator() {
                return new Iterator<>() {
                    private int i = advance(0);

                    private int advance(int from) {
                        while (from < keys.length && keys[from] == null) {
                            from++;
                        }
                        return from;
                    }

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public Entry<WorkloadId, V> next() {
                        if (i >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<WorkloadId, V> e = new SimpleImmutableEntry<>(keys[i], (V) values[i]);
                        i = advance(i + 1);
                        return e;
                    }
                };
            }
        };
    }

    /** A new map, empty ({@code base == null}) or a copy of {@code base}, edited before {@link #build}. */
    static <V> Editor<V> editor(IdMap<V> base, int expected) {
        return new Editor<>(base, expected);
    }

    /** Mutable until {@link #build}; the base map is never touched. */
    static final class Editor<V> {
        private WorkloadId[] keys;
        private Object[] values;
        private int size;
        /** The base map whose arrays {@link #keys} and {@link #values} still are, or null once they are this editor's. */
        private IdMap<V> shared;

        private Editor(IdMap<V> base, int expected) {
            if (base != null && base.keys.length >= capacityFor(expected)) {
                shared = base; // copied on the first change only (a cycle of priority writes changes nothing here)
                keys = base.keys;
                values = base.values;
                size = base.size;
            } else {
                keys = new WorkloadId[capacityFor(expected)];
                values = new Object[keys.length];
                if (base != null) {
                    for (int i = 0; i < base.keys.length; i++) {
                        if (base.keys[i] != null) {
                            put(base.keys[i], base.values[i]);
                        }
                    }
                }
            }
        }

        private static int capacityFor(int n) {
            return Integer.highestOneBit(Math.max(8, n) * 2 - 1) << 1; // load factor ≤ 1/2
        }

        void put(WorkloadId id, Object value) {
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            for (int i = slot(id, mask); ; i = (i + 1) & mask) {
                WorkloadId k = keys[i];
                if (k == null) {
                    own();
                    keys[i] = id;
                    values[i] = value;
                    size++;
                    return;
                }
                if (k == id || k.equals(id)) {
                    if (values[i] != value && !java.util.Objects.equals(values[i], value)) {
                        own();
                        values[i] = value;
                    }
                    return;
                }
            }
        }

        /** Copies the shared base's arrays before the first change (the base map is never modified). */
        private void own() {
            if (shared != null) {
                keys = keys.clone();
                values = values.clone();
                shared = null;
            }
        }

        void remove(WorkloadId id) {
            int mask = keys.length - 1;
            int i = slot(id, mask);
            while (true) {
                WorkloadId k = keys[i];
                if (k == null) {
                    return;
                }
                if (k == id || k.equals(id)) {
                    break;
                }
                i = (i + 1) & mask;
            }
            // backward-shift deletion: move later members of the probe run into the hole
            own();
            size--;
            int hole = i;
            for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
                int home = slot(keys[j], mask);
                boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
                if (movable) {
                    keys[hole] = keys[j];
                    values[hole] = values[j];
                    hole = j;
                }
            }
            keys[hole] = null;
            values[hole] = null;
        }

        private void grow() {
            WorkloadId[] oldKeys = keys;
            Object[] oldValues = values;
            shared = null; // new arrays: the base's are only read
            keys = new WorkloadId[oldKeys.length * 2];
            values = new Object[keys.length];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != null) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }

        IdMap<V> build() {
            IdMap<V> m = shared != null ? shared : new IdMap<>(keys, values, size); // unchanged: the base itself
            keys = null;
            values = null;
            return m;
        }
    }
}
