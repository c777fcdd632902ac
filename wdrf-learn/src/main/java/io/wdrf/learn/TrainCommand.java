package io.wdrf.learn;

import io.wdrf.learned.Features;
import io.wdrf.learned.LearnedWeights;
import io.wdrf.learned.TinyOnnx;
import io.wdrf.sim.LoadOptions;
import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Trace;
import io.wdrf.sim.TraceLocator;
import io.wdrf.sim.Traces;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code wdrf train}: CMA-ES over the {@code learned} weights on training windows, a held-out comparison with
 * fifo/drf/wdrf, and the artefacts: {@code learned.conf} (config fragment), {@code model.onnx} + {@code model.json}
 * (the same weights as a pointwise ONNX model), {@code report.md}, {@code curve.csv}, {@code heldout.csv}.
 */
final class TrainCommand {

    static final Set<String> KEYS = Set.of("trace", "file", "trace-dir", "gpus", "window", "train-weeks", "test-weeks",
            "windows-per-week", "train-seeds", "test-seeds", "jobs", "generations", "population", "sigma", "seed",
            "threads", "loop-interval", "max-aging", "aging-coefficient", "starvation-penalty", "out", "emit-job",
            "workers", "work-dir", "image", "queue", "namespace", "pvc");
    static final List<String> BASELINES = List.of("fifo", "drf", "wdrf");

    private TrainCommand() {
    }

    static String usage() {
        return String.join("\n",
                "wdrf train [options]   CMA-ES over the learned policy's weights",
                "  --trace philly|synthetic     (default philly)",
                "  --file PATH | --trace-dir DIR   Philly trace (default: the shared trace folder)",
                "  --gpus N                     cluster GPUs (default 96: contention on Philly windows)",
                "  --window 12h                 window length; --windows-per-week 2",
                "  --train-weeks 4-6            training weeks (0 = the week of the first job)",
                "  --test-weeks 9-11            held-out weeks",
                "  --train-seeds 1,2 --test-seeds 11,12 --jobs 150   synthetic windows instead",
                "  --generations 8 --population 10 --sigma 0.5 --seed 1",
                "  --starvation-penalty 10      objective += penalty · (starved − starved under wdrf) / jobs",
                "  --threads N                  evaluation threads (default: all cores); results do not depend on it",
                "  --loop-interval 60s --max-aging 6h --aging-coefficient 1",
                "  --out DIR                    (default train-out)",
                "  --emit-job FILE              write a Kubernetes Indexed Job (Kueue-queued) for the evaluations and exit;",
                "      --workers 4 --image IMG --queue LQ --namespace NS --pvc CLAIM --work-dir /work  (see README)",
                "  --work-dir DIR               as driver: evaluate through worker result files in DIR (with --workers)");
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(argv, KEYS, Set.of("help"));
            if (a.flag("help")) {
                out.println(usage());
                return 0;
            }
            Setup s = Setup.of(a);
            if (a.values.containsKey("emit-job")) {
                Path file = Path.of(a.get("emit-job", ""));
                Files.writeString(file, IndexedJob.render(a, argv), StandardCharsets.UTF_8);
                out.println("wrote " + file + " (" + a.integer("workers", 4, 1, 1000) + " indexed workers)");
                return 0;
            }
            return train(a, s, argv, out, err);
        } catch (IllegalArgumentException e) {
            err.println("wdrf train: " + Args.clean(e.getMessage()));
            return 2;
        } catch (IOException e) {
            err.println("wdrf train: " + Args.clean(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    /** Windows and options from the command line (the same for driver and workers). */
    record Setup(List<Trace> train, List<Trace> test, SimOptions options, String describe) {
        static SimOptions options(Args a) {
            return new SimOptions(a.duration("loop-interval", "60s"), a.number("aging-coefficient", 1.0),
                    a.duration("max-aging", "6h"), "Never", 1000, 240);
        }

        static Setup of(Args a) {
            SimOptions o = options(a);
            String trace = a.get("trace", "philly");
            int gpus = a.integer("gpus", "synthetic".equals(trace) ? 16 : 96, 1, 1_000_000);
            if ("synthetic".equals(trace)) {
                int jobs = a.integer("jobs", 150, 1, 1_000_000);
                List<Trace> tr = new ArrayList<>();
                for (int seed : Windows.parseWeeks(a.get("train-seeds", "1,2"))) {
                    tr.add(named(Traces.synthetic(seed, jobs, 4, gpus, 1.2), "synthetic-" + seed));
                }
                List<Trace> te = new ArrayList<>();
                for (int seed : Windows.parseWeeks(a.get("test-seeds", "11,12"))) {
                    te.add(named(Traces.synthetic(seed, jobs, 4, gpus, 1.2), "synthetic-" + seed));
                }
                return new Setup(tr, te, o, "synthetic, " + jobs + " jobs per window, " + gpus + " GPUs");
            }
            if (!"philly".equals(trace)) {
                throw new IllegalArgumentException("--trace: '" + Args.clean(trace) + "' is not one of philly, synthetic");
            }
            Path file;
            if (a.values.containsKey("file")) {
                file = Path.of(a.get("file", ""));
            } else {
                Path dir = a.values.containsKey("trace-dir") ? Path.of(a.get("trace-dir", ""))
                        : TraceLocator.find().orElseThrow(() -> new IllegalArgumentException(
                        "no trace folder: pass --file or --trace-dir (or set -D" + TraceLocator.PROPERTY + ")"));
                file = TraceLocator.philly(dir);
            }
            Trace full = Traces.philly(file, LoadOptions.defaults().withGpus(gpus));
            int per = a.integer("windows-per-week", 2, 1, 168);
            java.time.Duration len = a.duration("window", "12h");
            List<Integer> trainWeeks = Windows.parseWeeks(a.get("train-weeks", "4-6"));
            List<Integer> testWeeks = Windows.parseWeeks(a.get("test-weeks", "9-11"));
            for (int w : trainWeeks) {
                if (testWeeks.contains(w)) {
                    throw new IllegalArgumentException("week " + w + " is both a training and a held-out week");
                }
            }
            return new Setup(Windows.weekly(full, trainWeeks, per, len), Windows.weekly(full, testWeeks, per, len), o,
                    "Philly " + file.getFileName() + ", " + gpus + " GPUs, " + per + " × " + len.toHours()
                            + " h windows per week, train weeks " + trainWeeks + ", held-out weeks " + testWeeks);
        }

        private static Trace named(Trace t, String name) {
            return new Trace(name, t.cluster(), t.jobs(), t.errors(), t.skipped());
        }
    }

    private static int train(Args a, Setup s, String[] argv, PrintStream out, PrintStream err) throws IOException {
        int threads = a.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 1024);
        Trainer.Settings settings = new Trainer.Settings(a.integer("generations", 8, 1, 10_000),
                a.integer("population", 10, 2, 10_000), a.number("sigma", 0.5), a.integer("seed", 1, 0, Integer.MAX_VALUE),
                a.number("starvation-penalty", 10));
        Path dir = Path.of(a.get("out", "train-out"));
        Files.createDirectories(dir);
        boolean terminal = System.console() != null;
        long t0 = System.nanoTime();
        // baselines on the training windows (starvation reference)
        Map<String, List<Outcome>> trainBase = compare(s.train(), s.options(), BASELINES, null, threads);
        double[] starved = trainBase.get("wdrf").stream().mapToDouble(Outcome::starved).toArray();
        Candidates cands = new Candidates(s.train(), s.options());
        Candidates.Batch batch;
        if (a.values.containsKey("work-dir")) {
            batch = new VolumeBatch(Path.of(a.get("work-dir", "")), a.integer("workers", 4, 1, 1000), cands.windows().size(),
                    java.time.Duration.ofHours(24));
        } else {
            batch = b -> cands.evaluateShare(b, 0, 1, threads);
        }
        Trainer trainer = new Trainer(cands, batch, settings, starved);
        long total = 1 + (long) settings.generations() * settings.population();
        Progress bar = new Progress(err, terminal, "train", total);
        Trainer.Result r = trainer.run(Trainer.wdrfStart(s.options().agingCoefficient()), n -> bar.update(n, ""));
        if (batch instanceof VolumeBatch v) {
            v.finish();
        }
        bar.update(total, "");
        LearnedWeights best = r.best();
        Map<String, List<Outcome>> held = compare(s.test(), s.options(), List.of("fifo", "drf", "wdrf", "learned"),
                best, threads);
        double secs = (System.nanoTime() - t0) / 1e9;
        write(dir, a, s, argv, settings, threads, r, trainBase, held, secs);
        out.println(summary(held));
        out.println("weights: " + best.format());
        out.println("wrote " + dir.resolve("learned.conf") + ", model.onnx, model.json, report.md, curve.csv, heldout.csv ("
                + String.format(Locale.ROOT, "%.0f s", secs) + ")");
        return 0;
    }

    /** policy → outcome per window, evaluated on {@code threads} threads (order by window). */
    static Map<String, List<Outcome>> compare(List<Trace> windows, SimOptions options, List<String> policies,
                                              LearnedWeights learned, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "wdrf-compare");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, List<Future<Outcome>>> f = new java.util.LinkedHashMap<>();
            for (String p : policies) {
                List<Future<Outcome>> l = new ArrayList<>();
                for (Trace w : windows) {
                    Map<String, String> opts = "learned".equals(p) && learned != null
                            ? Map.of(LearnedWeights.OPTION, learned.format()) : Map.of();
                    l.add(pool.submit(() -> Evaluator.run(w, options, p, opts, false)));
                }
                f.put(p, l);
            }
            Map<String, List<Outcome>> out = new java.util.LinkedHashMap<>();
            for (var e : f.entrySet()) {
                List<Outcome> l = new ArrayList<>();
                for (Future<Outcome> x : e.getValue()) {
                    l.add(x.get());
                }
                out.put(e.getKey(), l);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("evaluation failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static double mean(List<Outcome> l, java.util.function.ToDoubleFunction<Outcome> f) {
        return l.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    static String summary(Map<String, List<Outcome>> held) {
        StringBuilder b = new StringBuilder("held-out (mean over windows):\n");
        b.append(String.format(Locale.ROOT, "%-8s %10s %9s %12s %8s %10s %10s %7s%n", "policy", "fairness", "deficit",
                "withinWait_h", "starved", "meanWait_s", "p99Wait_s", "alloc"));
        held.forEach((p, l) -> b.append(String.format(Locale.ROOT, "%-8s %10.4f %9.4f %12.4f %8.2f %10.0f %10.0f %7.3f%n",
                p, mean(l, Outcome::fairnessReward), mean(l, Outcome::deficit), mean(l, Outcome::withinShareWaitHours),
                mean(l, Outcome::starved), mean(l, Outcome::meanWait), mean(l, Outcome::p99Wait),
                mean(l, Outcome::allocation))));
        return b.toString().stripTrailing();
    }

    private static void write(Path dir, Args a, Setup s, String[] argv, Trainer.Settings settings, int threads,
                              Trainer.Result r, Map<String, List<Outcome>> trainBase, Map<String, List<Outcome>> held,
                              double secs) throws IOException {
        LearnedWeights w = r.best();
        Files.writeString(dir.resolve("learned.conf"), String.join("\n",
                "# written by wdrf train (" + s.describe() + "; seed " + settings.seed() + ")",
                "# put target/wdrf-policy-learned-*.jar into the plugin directory",
                "wdrf.policy = learned",
                "wdrf.plugin-path = \"plugins\"",
                "wdrf.aging-coefficient = " + s.options().agingCoefficient(),
                "wdrf.policy-options {",
                "  \"" + LearnedWeights.OPTION + "\" = \"" + w.format() + "\"",
                "}", ""));
        // the same weights as a pointwise ONNX model (for the onnx plugin)
        float[] wf = new float[Features.POINTWISE_WIDTH];
        for (int i = 0; i < wf.length; i++) {
            wf[i] = (float) w.get(i);
        }
        byte[] model = TinyOnnx.linear("features", "score", Features.POINTWISE_WIDTH, 1, wf, new float[]{0f});
        Files.write(dir.resolve("model.onnx"), model);
        Files.writeString(dir.resolve("model.json"), String.format(Locale.ROOT, "{\"layout\":\"pointwise\","
                + "\"layoutVersion\":%d,\"input\":\"features\",\"output\":\"score\",\"inputWidth\":%d,"
                + "\"scoreRange\":[%s,%s],\"sha256\":\"%s\"}%n", Features.POINTWISE_VERSION, Features.POINTWISE_WIDTH,
                w.min(), w.max(), sha256(model)));
        StringBuilder curve = new StringBuilder("generation,best_objective,mean_objective,evaluations\n");
        for (double[] c : r.curve(settings.population())) {
            curve.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%d%n", (int) c[0], c[1], c[2], (int) c[3]));
        }
        Files.writeString(dir.resolve("curve.csv"), curve);
        StringBuilder h = new StringBuilder("policy,window,jobs,fairness,deficit,within_share_wait_h,starved,unstarted,"
                + "mean_wait_s,p99_wait_s,allocation\n");
        held.forEach((p, l) -> l.forEach(o -> h.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f,%.6f,%d,%d,%.1f,%.1f,%.4f%n",
                p, o.window(), o.jobs(), o.fairnessReward(), o.deficit(), o.withinShareWaitHours(), o.starved(),
                o.unstarted(), o.meanWait(), o.p99Wait(), o.allocation()))));
        Files.writeString(dir.resolve("heldout.csv"), h);
        StringBuilder m = new StringBuilder();
        m.append("# wdrf train report\n\n");
        m.append("Command: `wdrf train ").append(String.join(" ", argv).replaceAll("\\p{Cntrl}", "?")).append("`\n\n");
        m.append("Data: ").append(s.describe()).append("; ").append(s.train().size()).append(" training windows (")
                .append(s.train().stream().mapToInt(t -> t.jobs().size()).sum()).append(" jobs), ")
                .append(s.test().size()).append(" held-out windows (")
                .append(s.test().stream().mapToInt(t -> t.jobs().size()).sum()).append(" jobs).\n\n");
        m.append(String.format(Locale.ROOT, "Search: CMA-ES (commons-math3 CMAESOptimizer), seed %d, %d generations × "
                        + "population %d, sigma %.3g, starvation penalty %.3g; %d evaluations in %d batches (%d optimizer "
                        + "replays), %d threads, %.0f s.%n%n", settings.seed(), settings.generations(), settings.population(),
                settings.sigma(), settings.starvationPenalty(), r.evaluations().size(), r.batches(), r.replays(), threads, secs));
        m.append("Objective (minimised, mean over training windows): −fairness reward + penalty · excess starvation / jobs.\n");
        m.append(String.format(Locale.ROOT, "Start (wdrf-equivalent weights): %.6f; best: %.6f; wdrf on the training "
                + "windows: %.6f.%n%n", r.evaluations().get(0).objective(), r.bestObjective(),
                -mean(trainBase.get("wdrf"), Outcome::fairnessReward)));
        m.append("Best weights: `").append(w.format()).append("`\n\n## Learning curve\n\n| generation | best | mean |\n|---|---|---|\n");
        for (double[] c : r.curve(settings.population())) {
            m.append(String.format(Locale.ROOT, "| %d | %.6f | %.6f |%n", (int) c[0], c[1], c[2]));
        }
        m.append("\n## Held-out windows\n\n```\n").append(summary(held)).append("\n```\n\nPer window: heldout.csv.\n");
        Files.writeString(dir.resolve("report.md"), m);
    }

    /** {@code train-worker}: one index of the Indexed Job. */
    static int worker(String[] argv, PrintStream out, PrintStream err) {
        try {
            java.util.Set<String> keys = new java.util.HashSet<>(IndexedJob.SETUP);
            keys.addAll(Set.of("work-dir", "workers", "index", "threads"));
            Args a = Args.parse(argv, keys, Set.of("once"));
            Setup s = Setup.of(a);
            int count = a.integer("workers", 1, 1, 1000);
            String env = System.getenv("JOB_COMPLETION_INDEX");
            int index = a.values.containsKey("index") || env == null ? a.integer("index", 0, 0, count - 1)
                    : Integer.parseInt(env.trim());
            if (index < 0 || index >= count) {
                throw new IllegalArgumentException("index " + index + " outside [0, " + count + ")");
            }
            Path dir = Path.of(a.get("work-dir", "/work"));
            int n = VolumeBatch.work(dir, new Candidates(s.train(), s.options()), index, count,
                    a.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 1024), a.flag("once"),
                    java.time.Duration.ofHours(2));
            out.println("worker " + index + "/" + count + ": evaluated " + n + " batches");
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("wdrf train-worker: " + Args.clean(e.getMessage()));
            return 2;
        } catch (IOException e) {
            err.println("wdrf train-worker: " + Args.clean(String.valueOf(e.getMessage())));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
