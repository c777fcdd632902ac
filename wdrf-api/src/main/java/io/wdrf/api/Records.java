package io.wdrf.api;

import java.util.List;
import java.util.Map;

/** Defensive-copy helpers shared by the records of this package. */
final class Records {

    private Records() {
    }

    static Map<String, String> sortedCopy(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        return SortedArrayMap.copyOf(m);
    }

    static <T> List<T> listCopy(List<T> l) {
        return l == null ? List.of() : List.copyOf(l);
    }
}
