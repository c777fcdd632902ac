package io.wdrf.learn;

import io.wdrf.learned.Features;
import io.wdrf.learned.LearnedWeights;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.CMAESOptimizer;
import org.apache.commons.math3.random.MersenneTwister;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * CMA-ES ({@link CMAESOptimizer}) over the {@code learned} weights, with batch evaluation.
 *
 * <p>{@code CMAESOptimizer} asks for one fitness at a time, but samples a whole generation before it asks. The
 * trainer therefore runs it <em>by replay</em>: with a seeded generator and a cache of known fitness values, an
 * unknown candidate gets a placeholder and is queued; once a population's worth is queued the run is abandoned, the
 * queue is evaluated as one batch (local threads or Indexed-Job workers), and the optimizer is replayed from the start
 * — the same seed and the same cached values make it ask for the same points, bit for bit, and go one generation
 * further. A replay that finishes without unknown points is the result. The outcome depends only on the seed and the
 * fitness values, never on how batches were evaluated.
 *
 * <p>Objective (minimised): mean over the training windows of
 * {@code −fairnessReward + starvationPenalty · max(0, starved − starved_wdrf) / jobs}.
 */
final class Trainer {

    /** Settings. */
    record Settings(int generations, int population, double sigma, long seed, double starvationPenalty) {
        Settings {
            if (generations < 1 || population < 2 || !(sigma > 0)) {
                throw new IllegalArgumentException("train: generations >= 1, population >= 2, sigma > 0 required");
            }
        }
    }

    /** One evaluated candidate. */
    record Evaluated(int index, double[] weights, double objective, double fairness, int starvedExcess) {
    }

    /** The search result. */
    record Result(LearnedWeights best, double bestObjective, List<Evaluated> evaluations, int batches, int replays,
                  double[] baselineStarved) {
        /** Best objective so far after each batch of {@code population} evaluations (the learning curve). */
        List<double[]> curve(int population) {
            List<double[]> out = new ArrayList<>();
            double best = Double.POSITIVE_INFINITY;
            double sum = 0;
            int k = 0;
            for (Evaluated e : evaluations) {
                best = Math.min(best, e.objective());
                sum += e.objective();
                k++;
                if (k == population || e == evaluations.get(evaluations.size() - 1)) {
                    out.add(new double[]{out.size(), best, sum / k, e.index() + 1});
                    sum = 0;
                    k = 0;
                }
            }
            return out;
        }
    }

    private record Key(double[] x) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(x, k.x);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(x);
        }
    }

    /** Stops an optimizer run once a generation's unknown points are collected. */
    private static final class Abandon extends RuntimeException {
        Abandon() {
            super(null, null, false, false);
        }
    }

    private final Candidates candidates;
    private final Candidates.Batch batch;
    private final Settings settings;
    private final double[] baselineStarved;

    Trainer(Candidates candidates, Candidates.Batch batch, Settings settings, double[] baselineStarved) {
        this.candidates = candidates;
        this.batch = batch;
        this.settings = settings;
        this.baselineStarved = baselineStarved.clone();
    }

    Result run(double[] start, IntConsumer progress) {
        Map<Key, Evaluated> known = new HashMap<>();
        List<Evaluated> order = new ArrayList<>();
        int batches = 0;
        int replays = 0;
        while (true) {
            replays++;
            List<double[]> queue = new ArrayList<>();
            CMAESOptimizer cma = new CMAESOptimizer(settings.generations(), Double.NEGATIVE_INFINITY, true, 0, 0,
                    new MersenneTwister(settings.seed()), false, null);
            int[] call = {0};
            int lambda = settings.population();
            ObjectiveFunction f = new ObjectiveFunction(x -> {
                int i = call[0]++;
                Evaluated e = known.get(new Key(x));
                if (e == null) {
                    queue.add(x.clone());
                }
                // call 0 is the start point, then `lambda` calls per generation; a generation is sampled before
                // any of its values is asked, so unknown points are collected up to the generation's last call
                if (!queue.isEmpty() && i >= 1 && i % lambda == 0) {
                    throw new Abandon();
                }
                return e == null ? 0.0 : e.objective(); // a placeholder is never used: the run is abandoned first
            });
            double[] sigma = new double[start.length];
            Arrays.fill(sigma, settings.sigma());
            PointValuePair best = null;
            try {
                best = cma.optimize(new MaxEval(Integer.MAX_VALUE), new MaxIter(settings.generations()), f,
                        GoalType.MINIMIZE, new InitialGuess(start), SimpleBounds.unbounded(start.length),
                        new CMAESOptimizer.Sigma(sigma), new CMAESOptimizer.PopulationSize(settings.population()));
            } catch (Abandon a) {
                // evaluate the queue below and replay
            }
            if (queue.isEmpty() && best != null) {
                Evaluated bestSeen = order.stream().min((a, b) -> Double.compare(a.objective(), b.objective())).orElseThrow();
                // the optimizer's answer and the best point seen agree unless its mean moved past every sample
                double[] w = best.getValue() <= bestSeen.objective() ? best.getPoint() : bestSeen.weights();
                return new Result(new LearnedWeights(w), Math.min(best.getValue(), bestSeen.objective()), order,
                        batches, replays, baselineStarved);
            }
            Outcome[] outcomes = batch.evaluate(queue);
            batches++;
            int nw = candidates.windows().size();
            for (int c = 0; c < queue.size(); c++) {
                double obj = 0;
                double fair = 0;
                int excess = 0;
                for (int w = 0; w < nw; w++) {
                    Outcome o = outcomes[c * nw + w];
                    int ex = Math.max(0, o.starved() - (int) baselineStarved[w]);
                    excess += ex;
                    fair += o.fairnessReward() / nw;
                    obj += (-o.fairnessReward() + settings.starvationPenalty() * ex / Math.max(1, o.jobs())) / nw;
                }
                Evaluated e = new Evaluated(order.size(), queue.get(c), obj, fair, excess);
                if (known.putIfAbsent(new Key(queue.get(c)), e) == null) {
                    order.add(e);
                }
            }
            progress.accept(order.size());
        }
    }

    /** The starting point: wdrf's in-band order. */
    static double[] wdrfStart(double agingCoefficient) {
        return LearnedWeights.wdrfEquivalent(agingCoefficient).toArray();
    }

    static int dimensions() {
        return Features.POINTWISE_WIDTH;
    }
}
