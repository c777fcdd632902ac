package io.wdrf.learn;

import io.wdrf.api.WorkloadId;

import java.util.List;

/**
 * One observation.
 *
 * @param layout      the layout of {@code rows}
 * @param rows        pointwise: one row per pending workload ({@code workloads} in the same order); skrueue-67: a
 *                    single row of {@link io.wdrf.learned.Skrueue67#WIDTH} values
 * @param workloads   pointwise: the workload of each row; skrueue-67: the queue slots (first 10 by wdrf priority)
 * @param timeSeconds simulated time
 */
public record Observation(Layout layout, double[][] rows, List<WorkloadId> workloads, double timeSeconds) {

    public Observation {
        double[][] copy = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        rows = copy;
        workloads = List.copyOf(workloads);
    }

    /** Observation layouts. */
    public enum Layout {
        /** {@link io.wdrf.learned.Features} rows. */
        POINTWISE,
        /** {@link io.wdrf.learned.Skrueue67}. */
        SKRUEUE_67
    }
}
