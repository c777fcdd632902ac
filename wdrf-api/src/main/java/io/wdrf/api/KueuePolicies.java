package io.wdrf.api;

/**
 * Kueue's ClusterQueue settings that WDRF reads, as types: the queueing strategy and the preemption policies.
 *
 * <p>Promises: each {@code parse} accepts Kueue's own spelling (e.g. {@code BestEffortFIFO},
 * {@code LowerOrNewerEqualPriority}) and returns null for a value this version does not know (a newer Kueue), so a
 * caller can treat it conservatively instead of failing; {@code kueueName()} returns the spelling.
 */
public final class KueuePolicies {

    private KueuePolicies() {
    }

    /** {@code spec.queueingStrategy}. */
    public enum QueueingStrategy {
        BEST_EFFORT_FIFO("BestEffortFIFO"), STRICT_FIFO("StrictFIFO");

        private final String kueueName;

        QueueingStrategy(String kueueName) {
            this.kueueName = kueueName;
        }

        public String kueueName() {
            return kueueName;
        }

        /** The strategy, or null when unknown. */
        public static QueueingStrategy parse(String text) {
            for (QueueingStrategy s : values()) {
                if (s.kueueName.equals(text)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** {@code spec.preemption.withinClusterQueue}. */
    public enum WithinClusterQueue {
        NEVER("Never"), LOWER_PRIORITY("LowerPriority"), LOWER_OR_NEWER_EQUAL_PRIORITY("LowerOrNewerEqualPriority");

        private final String kueueName;

        WithinClusterQueue(String kueueName) {
            this.kueueName = kueueName;
        }

        public String kueueName() {
            return kueueName;
        }

        /** True when Kueue may preempt admitted work of the queue by priority. */
        public boolean byPriority() {
            return this != NEVER;
        }

        /** The policy, or null when unknown. */
        public static WithinClusterQueue parse(String text) {
            for (WithinClusterQueue s : values()) {
                if (s.kueueName.equals(text)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** {@code spec.preemption.reclaimWithinCohort} and {@code borrowWithinCohort.policy}. */
    public enum CohortPreemption {
        NEVER("Never"), LOWER_PRIORITY("LowerPriority"), ANY("Any");

        private final String kueueName;

        CohortPreemption(String kueueName) {
            this.kueueName = kueueName;
        }

        public String kueueName() {
            return kueueName;
        }

        /** The policy, or null when unknown. */
        public static CohortPreemption parse(String text) {
            for (CohortPreemption s : values()) {
                if (s.kueueName.equals(text)) {
                    return s;
                }
            }
            return null;
        }
    }
}
