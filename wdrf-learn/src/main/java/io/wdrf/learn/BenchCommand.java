package io.wdrf.learn;

import io.wdrf.learned.LearnedWeights;
import io.wdrf.sim.Trace;

import java.io.IOException;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code wdrf bench}: policies side by side on the held-out windows (the same windows and metrics as
 * {@code wdrf train}), including plugin policies from {@code --plugin-path} (e.g. {@code onnx}); and
 * {@code wdrf env-bench}: steps per second of the Gym-style environment.
 */
final class BenchCommand {

    private BenchCommand() {
    }

    static int bench(String[] argv, PrintStream out, PrintStream err) {
        try {
            Set<String> keys = new HashSet<>(IndexedJob.SETUP);
            keys.addAll(Set.of("policies", "weights", "learned-conf", "onnx-model", "plugin-path", "threads", "csv"));
            Args a = Args.parse(argv, keys, Set.of("help"));
            if (a.flag("help")) {
                out.println("wdrf bench [train options for the windows] --policies fifo,drf,wdrf,learned,onnx "
                        + "[--learned-conf learned.conf | --weights W] [--onnx-model model.onnx --plugin-path DIR] [--csv FILE]");
                return 0;
            }
            TrainCommand.Setup s = TrainCommand.Setup.of(a);
            List<String> policies = List.of(a.get("policies", "fifo,drf,wdrf,learned").split(","));
            Map<String, String> opts = new LinkedHashMap<>();
            String weights = a.get("weights", null);
            if (a.values.containsKey("learned-conf")) {
                weights = weightsFrom(Path.of(a.get("learned-conf", "")));
            }
            if (weights != null) {
                opts.put(LearnedWeights.OPTION, LearnedWeights.parse(weights).format());
            }
            if (a.values.containsKey("onnx-model")) {
                opts.put("onnx.model", a.get("onnx-model", ""));
            }
            ClassLoader loader = loader(a.get("plugin-path", null));
            int threads = a.integer("threads", Runtime.getRuntime().availableProcessors(), 1, 1024);
            Map<String, List<Outcome>> res = compare(s.test(), s, policies, opts, loader, threads);
            out.println(s.describe() + ", " + s.test().size() + " held-out windows");
            out.println(TrainCommand.summary(res));
            if (a.values.containsKey("csv")) {
                StringBuilder b = new StringBuilder("policy,window,jobs,fairness,deficit,within_share_wait_h,starved,"
                        + "mean_wait_s,p99_wait_s,allocation\n");
                res.forEach((p, l) -> l.forEach(o -> b.append(String.format(Locale.ROOT,
                        "%s,%s,%d,%.6f,%.6f,%.6f,%d,%.1f,%.1f,%.4f%n", p, o.window(), o.jobs(), o.fairnessReward(),
                        o.deficit(), o.withinShareWaitHours(), o.starved(), o.meanWait(), o.p99Wait(), o.allocation()))));
                Files.writeString(Path.of(a.get("csv", "")), b);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("wdrf bench: " + Args.clean(e.getMessage()));
            return 2;
        } catch (IOException e) {
            err.println("wdrf bench: " + Args.clean(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    static String weightsFrom(Path conf) throws IOException {
        for (String line : Files.readAllLines(conf)) {
            String t = line.trim();
            if (t.startsWith("\"" + LearnedWeights.OPTION + "\"")) {
                int q2 = t.lastIndexOf('"');
                int q1 = t.lastIndexOf('"', q2 - 1);
                return t.substring(q1 + 1, q2);
            }
        }
        throw new IllegalArgumentException(conf + ": no \"" + LearnedWeights.OPTION + "\" line");
    }

    static ClassLoader loader(String dir) throws IOException {
        if (dir == null) {
            return BenchCommand.class.getClassLoader();
        }
        Path d = Path.of(dir);
        if (!Files.isDirectory(d)) {
            throw new IllegalArgumentException("--plugin-path: '" + Args.clean(dir) + "' is not a directory");
        }
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                try {
                    urls.add(p.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalArgumentException("--plugin-path: bad jar path " + p, e);
                }
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), BenchCommand.class.getClassLoader());
    }

    static Map<String, List<Outcome>> compare(List<Trace> windows, TrainCommand.Setup s, List<String> policies,
                                              Map<String, String> opts, ClassLoader loader, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "wdrf-bench");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, List<Future<Outcome>>> f = new LinkedHashMap<>();
            for (String p : policies) {
                String name = p.trim();
                List<Future<Outcome>> l = new ArrayList<>();
                for (Trace w : windows) {
                    l.add(pool.submit(() -> Evaluator.run(w, s.options(), name, opts, false, loader)));
                }
                f.put(name, l);
            }
            Map<String, List<Outcome>> out = new LinkedHashMap<>();
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
            Throwable c = e.getCause();
            throw c instanceof IllegalArgumentException iae ? iae : new IllegalStateException("evaluation failed: " + c, c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Steps per second of {@link WdrfEnv} with the {@code Keep} action, both layouts, over the held-out windows. */
    static int envBench(String[] argv, PrintStream out, PrintStream err) {
        try {
            Args a = Args.parse(argv, IndexedJob.SETUP, Set.of("help"));
            if (a.flag("help")) {
                out.println("wdrf env-bench [train options for the windows]   steps/s of WdrfEnv (Keep) on the held-out windows");
                return 0;
            }
            TrainCommand.Setup s = TrainCommand.Setup.of(a);
            for (Observation.Layout layout : Observation.Layout.values()) {
                WdrfEnv env = new WdrfEnv(s.test(), s.options(), layout, Reward.FAIRNESS, true);
                long steps = 0;
                long t0 = System.nanoTime();
                for (int w = 0; w < s.test().size(); w++) {
                    env.reset(w);
                    while (!env.done()) {
                        env.step(new Action.Keep());
                        steps++;
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                out.println(String.format(Locale.ROOT, "%-10s %d steps over %d windows in %.1f s: %.0f steps/s",
                        layout, steps, s.test().size(), secs, steps / secs));
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("wdrf env-bench: " + Args.clean(e.getMessage()));
            return 2;
        }
    }
}
