package io.wdrf.backend.common;

import java.util.concurrent.ConcurrentHashMap;

/**
 * De-duplicates low-cardinality strings (label keys, resource names, queue names, quantities) so that 100k
 * projected records share one copy of each. Bounded: once {@code maxSize} distinct strings are held, new strings
 * are returned as-is, so unique values (names, UIDs) never make it grow without limit.
 */
final class Interner {

    /** Longer strings are rarely repeated (UUIDs, hashes, messages); they are not pooled. */
    static final int MAX_POOLED_LENGTH = 32;

    private final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, Object> records = new ConcurrentHashMap<>();
    private final int maxSize;

    Interner(int maxSize) {
        this.maxSize = maxSize;
    }

    String intern(String s) {
        if (s == null || s.length() > MAX_POOLED_LENGTH) {
            return s;
        }
        String existing = pool.get(s);
        if (existing != null) {
            return existing;
        }
        if (pool.size() >= maxSize) {
            return s;
        }
        existing = pool.putIfAbsent(s, s);
        return existing != null ? existing : s;
    }

    /**
     * One shared instance per distinct immutable record value (pod sets, containers, assignments): workloads made
     * from the same job template then share their whole pod-set subtree. Bounded like the string pool.
     */
    @SuppressWarnings("unchecked")
    <T> T share(T record) {
        Object existing = records.get(record);
        if (existing != null) {
            return (T) existing;
        }
        if (records.size() >= maxSize) {
            return record;
        }
        existing = records.putIfAbsent(record, record);
        return existing != null ? (T) existing : record;
    }

    int recordCount() {
        return records.size();
    }

    int size() {
        return pool.size();
    }
}
