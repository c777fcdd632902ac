package io.wdrf.sim;

/**
 * Options shared by the trace loaders.
 *
 * @param gpus        cluster GPUs (Philly; null = {@link Traces#PHILLY_DEFAULT_GPUS})
 * @param nodes       cluster nodes (Alibaba; null = {@link Traces#ALIBABA_DEFAULT_NODES})
 * @param compress    arrival compression: arrival times are divided by it (&gt; 0; 2 = twice the arrival rate)
 * @param limit       keep only the first {@code limit} jobs in arrival order (0 = all)
 * @param teamBuckets Alibaba: hash buckets per QoS class (&ge; 1)
 * @param teamWeights Philly: {@code trace} (weights from {@code philly_vc.csv} when present) or {@code equal}
 * @param seed        seed of the synthetic trace
 */
public record LoadOptions(Integer gpus, Integer nodes, double compress, int limit, int teamBuckets, String teamWeights,
                          long seed) {

    public LoadOptions {
        if (!(compress > 0) || Double.isInfinite(compress)) {
            throw new IllegalArgumentException("--compress: " + compress + " must be a positive number");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit: " + limit + " must not be negative");
        }
        if (gpus != null && gpus < 1) {
            throw new IllegalArgumentException("--gpus: " + gpus + " must be at least 1");
        }
        if (nodes != null && nodes < 1) {
            throw new IllegalArgumentException("--nodes: " + nodes + " must be at least 1");
        }
        if (teamBuckets < 1) {
            throw new IllegalArgumentException("--team-buckets: " + teamBuckets + " must be at least 1");
        }
        if (!"trace".equals(teamWeights) && !"equal".equals(teamWeights)) {
            throw new IllegalArgumentException("--team-weights: '" + teamWeights + "' is not one of trace, equal");
        }
    }

    /** Defaults: loader-specific cluster size, no compression, all jobs, 2 buckets, trace weights, seed 1. */
    public static LoadOptions defaults() {
        return new LoadOptions(null, null, 1.0, 0, 2, "trace", 1L);
    }

    /** A copy with another limit. */
    public LoadOptions withLimit(int v) {
        return new LoadOptions(gpus, nodes, compress, v, teamBuckets, teamWeights, seed);
    }

    /** A copy with another GPU count. */
    public LoadOptions withGpus(Integer v) {
        return new LoadOptions(v, nodes, compress, limit, teamBuckets, teamWeights, seed);
    }

    /** A copy with another node count. */
    public LoadOptions withNodes(Integer v) {
        return new LoadOptions(gpus, v, compress, limit, teamBuckets, teamWeights, seed);
    }

    /** A copy with another compression. */
    public LoadOptions withCompress(double v) {
        return new LoadOptions(gpus, nodes, v, limit, teamBuckets, teamWeights, seed);
    }

    /** A copy with another seed. */
    public LoadOptions withSeed(long v) {
        return new LoadOptions(gpus, nodes, compress, limit, teamBuckets, teamWeights, v);
    }
}
