package io.wdrf.api;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Defensive-copy helpers shared by the records of this package. */
final class Records {

    private Records() {
    }

    static Map<String, String> sortedCopy(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new TreeMap<>(m));
    }

    static <T> List<T> listCopy(List<T> l) {
        return l == null ? List.of() : List.copyOf(l);
    }
}
