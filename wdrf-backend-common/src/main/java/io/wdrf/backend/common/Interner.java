package io.wdrf.backend.common;

import java.util.concurrent.ConcurrentHashMap;

/**
 * De-duplicates low-cardinality strings (label keys, resource names, queue names, quantities) so that 100k
 * projected records share one copy of each. Bounded: once {@code maxSize} distinct strings are held, new strings
 * are returned as-is, so unique values (names, UIDs) never make it grow without limit.
 */
final class Interner {

    private final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();
    private final int maxSize;

    Interner(int maxSize) {
        this.maxSize = maxSize;
    }

    String intern(String s) {
        if (s == null) {
            return null;
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

    int size() {
        return pool.size();
    }
}
