package io.wdrf.learn;

import io.wdrf.learned.LearnedWeights;
import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Evaluating a batch of candidate weight vectors on the training windows: the unit of work is one (candidate,
 * window) pair, numbered {@code c · windows + w}; a share {@code (index, count)} is the pairs whose number ≡ index
 * (mod count). Local threads and Indexed-Job workers run the same {@link #evaluateShare}; results are placed by
 * number, so the merged outcome does not depend on how the work was split.
 */
final class Candidates {

    private final List<Trace> windows;
    private final SimOptions options;

    Candidates(List<Trace> windows, SimOptions options) {
        this.windows = List.copyOf(windows);
        this.options = options;
    }

    List<Trace> windows() {
        return windows;
    }

    /** The outcome of candidate {@code x} on window {@code w}. */
    Outcome evaluate(double[] x, int w) {
        return Evaluator.run(windows.get(w), options, "learned",
                Map.of(LearnedWeights.OPTION, new LearnedWeights(x).format()), false);
    }

    /** Pair numbers of share {@code index} of {@code count} for {@code candidates} candidates. */
    List<Integer> share(int candidates, int index, int count) {
        List<Integer> out = new ArrayList<>();
        for (int p = index; p < candidates * windows.size(); p += count) {
            out.add(p);
        }
        return out;
    }

    /**
     * Evaluates share {@code (index, count)} of {@code batch} with {@code threads} threads; returns pair number →
     * outcome for the share's pairs only (others null).
     */
    Outcome[] evaluateShare(List<double[]> batch, int index, int count, int threads) {
        List<Integer> pairs = share(batch.size(), index, count);
        Outcome[] out = new Outcome[batch.size() * windows.size()];
        if (threads <= 1 || pairs.size() <= 1) {
            for (int p : pairs) {
                out[p] = evaluate(batch.get(p / windows.size()), p % windows.size());
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, pairs.size()), r -> {
            Thread t = new Thread(r, "wdrf-train-eval");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int p : pairs) {
                futures.add(pool.submit(() -> evaluate(batch.get(p / windows.size()), p % windows.size())));
            }
            for (int i = 0; i < pairs.size(); i++) {
                out[pairs.get(i)] = futures.get(i).get();
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("evaluation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Evaluates a batch: pair number → outcome, all pairs. */
    interface Batch {
        Outcome[] evaluate(List<double[]> batch);
    }
}
