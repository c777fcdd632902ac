package io.wdrf.api;

/**
 * Turns workloads and nodes into resource vectors: what a pending workload asks for, what an admitted workload
 * uses, what a node offers. The engine ships Kueue's rules; HAMi's GPU-fraction accounting plugs in here.
 *
 * <p>Promises of an implementation: pure and deterministic for a given snapshot; a malformed object throws
 * {@link IllegalArgumentException} whose message says what is wrong and where (field path, value, reason) and
 * never corrupts results for other objects.
 */
public interface DemandModel {

    /**
     * Binds the model to one snapshot, so per-snapshot data (e.g. GPU card memory per flavor) is computed once.
     */
    Bound bind(ClusterSnapshot snapshot);

    /**
     * What the results depend on beyond the object asked about, so a caller may reuse them across snapshots.
     *
     * <p>Promise of an implementation that returns non-null: for two snapshots whose reuse scopes are
     * {@link Object#equals equal}, {@code demand}, {@code usage} and {@code capacity} return equal vectors (or throw
     * equal messages) for equal objects. The engine then computes each object version once and reuses the vector
     * while the object and the scope stay unchanged. The default, {@code null}, promises nothing: every result is
     * recomputed in every snapshot.
     */
    default Object reuseScope(ClusterSnapshot snapshot) {
        return null;
    }

    /** A demand model bound to one snapshot. */
    interface Bound {

        /**
         * Resources a pending workload asks for, in total over all pod sets and pods.
         *
         * @throws IllegalArgumentException when the workload is malformed (message names field and value)
         */
        ResourceVector demand(Workload workload);

        /**
         * Resources an admitted workload holds (Kueue: {@code status.admission.podSetAssignments[].resourceUsage},
         * falling back to {@link #demand(Workload)}).
         *
         * @throws IllegalArgumentException when the workload is malformed
         */
        ResourceVector usage(Workload workload);

        /**
         * What a node contributes to cluster capacity.
         *
         * @throws IllegalArgumentException when the node's allocatable or device annotations are malformed
         */
        ResourceVector capacity(Node node);
    }
}
