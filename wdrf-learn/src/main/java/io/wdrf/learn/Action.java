package io.wdrf.learn;

/** What an agent does in one {@link WdrfEnv#step}. */
public sealed interface Action {

    /** Keep the {@code wdrf} priorities. */
    record Keep() implements Action {
    }

    /**
     * Pointwise: one score per observation row; each workload's in-band position is {@code 1 / (1 + e^−score)}
     * (class bands are kept).
     */
    record Scores(double[] scores) implements Action {
        public Scores {
            scores = scores.clone();
        }
    }

    /**
     * {@code skrueue-67}: scores of the queue slots (the first 10 pending workloads of the observation); the slots are
     * re-ordered by score within their class, every other workload keeps its {@code wdrf} priority.
     */
    record Rank(double[] slotScores) implements Action {
        public Rank {
            slotScores = slotScores.clone();
        }

        /** SKRueue's discrete action: put slot {@code i} first (0 ≤ i &lt; 10). */
        public static Rank pick(int i) {
            double[] s = new double[10];
            if (i >= 0 && i < s.length) {
                s[i] = 1;
            }
            return new Rank(s);
        }
    }
}
