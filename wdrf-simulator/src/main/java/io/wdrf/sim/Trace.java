package io.wdrf.sim;

import java.util.List;
import java.util.Objects;

/**
 * A loaded trace: jobs sorted by arrival (then name), the cluster to replay them on, and the rows that were skipped.
 *
 * @param name    short name ({@code philly}, {@code alibaba}, a scenario name)
 * @param cluster the simulated cluster
 * @param jobs    jobs in arrival order
 * @param errors  skipped rows, each {@code file:line: reason} (at most {@link #MAX_ERRORS} kept)
 * @param skipped number of skipped rows (may exceed {@code errors.size()})
 */
public record Trace(String name, SimCluster cluster, List<SimJob> jobs, List<String> errors, long skipped) {

    /** Most error messages kept per trace. */
    public static final int MAX_ERRORS = 200;

    public Trace {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cluster, "cluster");
        jobs = List.copyOf(jobs);
        errors = List.copyOf(errors);
    }

    /** Teams in name order. */
    public List<String> teams() {
        return jobs.stream().map(SimJob::team).distinct().sorted().toList();
    }
}
