package io.wdrf.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Immutable string map backed by two sorted arrays: ascending iteration, binary-search lookup, and a fraction of a
 * {@code TreeMap}'s footprint (records hold one per label, annotation and resource map; 100k workloads hold
 * hundreds of thousands of them).
 */
final class SortedArrayMap extends AbstractMap<String, String> {

    private final String[] keys;
    private final String[] values;

    private SortedArrayMap(String[] keys, String[] values) {
        this.keys = keys;
        this.values = values;
    }

    static Map<String, String> copyOf(Map<String, String> source) {
        if (source instanceof SortedArrayMap) {
            return source;
        }
        int n = source.size();
        String[] k = new String[n];
        int i = 0;
        for (String key : source.keySet()) {
            k[i++] = java.util.Objects.requireNonNull(key, "map key");
        }
        Arrays.sort(k);
        String[] v = new String[n];
        for (int j = 0; j < n; j++) {
            String key = k[j];
            v[j] = java.util.Objects.requireNonNull(source.get(key), () -> "null value for key " + key);
        }
        return new SortedArrayMap(k, v);
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String s && Arrays.binarySearch(keys, s) >= 0;
    }

    @Override
    public String get(Object key) {
        if (!(key instanceof String s)) {
            return null;
        }
        int i = Arrays.binarySearch(keys, s);
        return i >= 0 ? values[i] : null;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
