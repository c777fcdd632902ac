package io.wdrf.engine;

/**
 * How the reconcile loop chooses and orders its priority writes ({@code write.order}).
 */
public enum WriteOrdering {
    /** Every change that passes the hysteresis, most important first in the plan (the original behaviour). */
    PLAN,
    /**
     * The same writes, ordered by their effect on Kueue's next decisions: per ClusterQueue the workloads that fit
     * in the free quota under the new order first (every queue's head before any queue's second), then the rest by
     * rank in their queue.
     */
    ADMISSION_FIRST,
    /**
     * {@link #ADMISSION_FIRST}, and the workloads Kueue admits next are written whenever their target differs (no
     * hysteresis: their order decides the next admissions); outside that window a write is sent only when it changes
     * the order against the window (current or target priority reaches the window's lowest target). The tail of a
     * long queue is not rewritten at every aging step.
     */
    ORDER_ONLY
}
