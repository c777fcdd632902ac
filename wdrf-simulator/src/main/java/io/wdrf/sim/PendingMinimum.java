package io.wdrf.sim;

import java.util.TreeMap;

/**
 * Per resource, the multiset of the pending jobs' requests, for a conservative "could any pending job fit" test: when
 * some resource's smallest pending request exceeds what is free, no pending job fits (exact for one resource).
 */
final class PendingMinimum {

    private final TreeMap<Double, Integer>[] counts;

    @SuppressWarnings("unchecked")
    PendingMinimum(int resources) {
        counts = new TreeMap[resources];
        for (int r = 0; r < resources; r++) {
            counts[r] = new TreeMap<>();
        }
    }

    void add(double[] usage) {
        for (int r = 0; r < counts.length; r++) {
            counts[r].merge(usage[r], 1, Integer::sum);
        }
    }

    void remove(double[] usage) {
        for (int r = 0; r < counts.length; r++) {
            Integer c = counts[r].get(usage[r]);
            if (c == null) {
                throw new IllegalStateException("pending minimum: removing a request that was never added");
            }
            if (c == 1) {
                counts[r].remove(usage[r]);
            } else {
                counts[r].put(usage[r], c - 1);
            }
        }
    }

    /** The smallest pending request per resource (+∞ when nothing is pending). */
    double[] copy() {
        double[] min = new double[counts.length];
        for (int r = 0; r < counts.length; r++) {
            min[r] = counts[r].isEmpty() ? Double.POSITIVE_INFINITY : counts[r].firstKey();
        }
        return min;
    }

    /** False only when no pending job can fit into {@code free}. */
    boolean mayFit(double[] free) {
        return mayFit(copy(), free);
    }

    static boolean mayFit(double[] min, double[] free) {
        for (int r = 0; r < min.length; r++) {
            if (min[r] > free[r]) {
                return false;
            }
        }
        return min.length == 0 || min[0] != Double.POSITIVE_INFINITY;
    }
}
