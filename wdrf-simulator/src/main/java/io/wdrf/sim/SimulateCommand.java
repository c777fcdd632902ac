package io.wdrf.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code wdrf simulate}: replays a trace under several policies and reports waits, completion times, allocation,
 * fairness, starvation, priority writes and preemptions.
 *
 * <pre>
 * --trace philly|alibaba|scenario|synthetic   (required)
 * --file PATH              trace file (scenario: required; others default inside --trace-dir)
 * --trace-dir DIR          shared trace folder (default: -Dwdrf.traces, $WDRF_TRACES, ../shared/traces, /work/shared/traces)
 * --policies a,b,...       default fifo,drf,wdrf,wdrf-noaging,multifactor (any plugin policy name works)
 * --gpus N                 Philly/synthetic cluster GPUs (Philly default 768, synthetic 64)
 * --nodes N                Alibaba GPU nodes (default 9)
 * --compress X             divide arrival times by X (default 1)
 * --limit N                first N jobs only
 * --loop-interval 30s      controller period
 * --aging-coefficient X    AGING_COEFFICIENT (default 1)
 * --max-aging 24h          MAX_AGING_TIME, also the starvation threshold
 * --within-cluster-queue P Never (default) | LowerPriority | LowerOrNewerEqualPriority
 * --preemption M           engine preemption mode never|classes|fair|allow (default classes; guard = never)
 * --max-writes N           reconciler writes per cycle (default 1000)
 * --min-delta N            write hysteresis in priority points (default 0: every change)
 * --team-buckets N         Alibaba hash buckets per QoS class (default 2)
 * --team-weights trace|equal  Philly team weights from philly_vc.csv or all 1 (default trace)
 * --jobs N                 synthetic: number of jobs (default 5000)
 * --seed N                 synthetic trace seed (default 1)
 * --out DIR                write summary.csv, series.csv, jobs.csv (every job's admissions, evictions, finish),
 *                          results.json, report.html, summary.md
 * </pre>
 */
public final class SimulateCommand {

    private static final List<String> DEFAULT_POLICIES = List.of("fifo", "drf", "wdrf", "wdrf-noaging", "multifactor");

    private SimulateCommand() {
    }

    /** Standalone entry point. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @return 0 on success, 2 on bad options or an unreadable trace (with a message on {@code err}), 1 on failure
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                out.println(usage());
                return 0;
            }
            if (!a.startsWith("--")) {
                return bad(err, "unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    return bad(err, "option --" + key + " needs a value");
                }
                value = args[++i];
            }
            if (!KNOWN.contains(key)) {
                return bad(err, "unknown option --" + key);
            }
            opts.put(key, value);
        }
        String kind = opts.get("trace");
        if (kind == null) {
            return bad(err, "--trace is required (philly, alibaba, scenario or synthetic)");
        }
        Trace trace;
        SimOptions sim;
        List<String> policies;
        try {
            LoadOptions load = new LoadOptions(intOpt(opts, "gpus"), intOpt(opts, "nodes"),
                    doubleOpt(opts, "compress", 1.0), intOr(opts, "limit", 0), intOr(opts, "team-buckets", 2),
                    opts.getOrDefault("team-weights", "trace"), longOr(opts, "seed", 1L));
            sim = new SimOptions(duration(opts, "loop-interval", Duration.ofSeconds(30)),
                    doubleOpt(opts, "aging-coefficient", 1.0), duration(opts, "max-aging", Duration.ofHours(24)),
                    opts.getOrDefault("within-cluster-queue", "Never"), intOr(opts, "max-writes", 1000), 240,
                    opts.getOrDefault("preemption", "classes"), intOr(opts, "min-delta", 0));
            policies = new ArrayList<>();
            for (String p : opts.getOrDefault("policies", String.join(",", DEFAULT_POLICIES)).split(",")) {
                String name = p.trim();
                if (name.isEmpty()) {
                    continue;
                }
                if (policies.contains(name)) {
                    throw new IllegalArgumentException("--policies: '" + name + "' is listed twice");
                }
                Simulator.validatePolicy(name, sim);
                policies.add(name);
            }
            if (policies.isEmpty()) {
                throw new IllegalArgumentException("--policies: no policy given");
            }
            trace = load(kind, opts, load);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return bad(err, e.getMessage());
        }
        if (trace.skipped() > 0) {
            err.println("skipped " + trace.skipped() + " malformed or unusable rows; first: " + trace.errors().get(0));
        }
        if (trace.jobs().isEmpty()) {
            return bad(err, "trace " + trace.name() + " has no usable jobs");
        }
        err.println("replaying " + trace.jobs().size() + " jobs of " + trace.name() + " (" + trace.cluster().description()
                + ") under " + policies);
        ProgressListener progress = new ConsoleProgress(err, System.console() != null);
        List<PolicyRun> runs = new ArrayList<>();
        try {
            for (String p : policies) {
                runs.add(Simulator.run(trace, p, sim, progress));
            }
        } catch (RuntimeException e) {
            err.println("error: replay failed: " + e);
            return 1;
        }
        out.print(Report.table(trace, runs, false));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("trace", trace.name());
        settings.put("loopInterval", sim.loopInterval().toString());
        settings.put("agingCoefficient", Double.toString(sim.agingCoefficient()));
        settings.put("maxAging", sim.maxAging().toString());
        settings.put("withinClusterQueue", sim.withinClusterQueue());
        settings.put("preemption", sim.preemption());
        opts.forEach((k, v) -> settings.putIfAbsent("--" + k, v));
        String outDir = opts.get("out");
        if (outDir != null) {
            Path dir = Path.of(outDir);
            try {
                Report.write(dir, "summary.csv", Report.summaryCsv(runs));
                Report.write(dir, "series.csv", Report.seriesCsv(runs));
                Report.write(dir, "jobs.csv", Report.jobsCsv(trace, runs));
                Report.write(dir, "results.json", Report.json(trace, runs, settings));
                Report.write(dir, "report.html", Report.html(trace, runs, settings));
                Report.write(dir, "summary.md", Report.table(trace, runs, true));
            } catch (IOException e) {
                err.println("error: cannot write to " + dir + ": " + e.getMessage());
                return 1;
            }
            err.println("wrote " + dir.resolve("report.html") + ", summary.csv, series.csv, jobs.csv, results.json, summary.md");
        }
        return 0;
    }

    private static final List<String> KNOWN = List.of("trace", "file", "trace-dir", "policies", "gpus", "nodes",
            "compress", "limit", "loop-interval", "aging-coefficient", "max-aging", "within-cluster-queue", "max-writes",
            "team-buckets", "team-weights", "jobs", "seed", "out", "preemption", "min-delta");

    private static Trace load(String kind, Map<String, String> opts, LoadOptions load) {
        String file = opts.get("file");
        switch (kind) {
            case "scenario":
                if (file == null) {
                    throw new IllegalArgumentException("--trace scenario needs --file SCENARIO.yaml");
                }
                return Traces.scenario(Path.of(file), load);
            case "synthetic": {
                int gpus = load.gpus() == null ? 64 : load.gpus();
                Trace t = Traces.synthetic(load.seed(), intOr(opts, "jobs", 5000), 4, gpus, 0.9);
                if (load.limit() > 0 && t.jobs().size() > load.limit()) {
                    t = new Trace(t.name(), t.cluster(), t.jobs().subList(0, load.limit()), t.errors(), t.skipped());
                }
                return t;
            }
            case "philly":
            case "alibaba": {
                Path path;
                if (file != null) {
                    path = Path.of(file);
                } else {
                    Optional<Path> dir = opts.containsKey("trace-dir") ? Optional.of(Path.of(opts.get("trace-dir")))
                            : TraceLocator.find();
                    if (dir.isEmpty()) {
                        throw new IllegalArgumentException("no trace folder found: give --file or --trace-dir (or set -D"
                                + TraceLocator.PROPERTY + " / $" + TraceLocator.ENV + ")");
                    }
                    path = kind.equals("philly") ? TraceLocator.philly(dir.get()) : TraceLocator.alibaba(dir.get());
                }
                return kind.equals("philly") ? Traces.philly(path, load) : Traces.alibaba(path, load);
            }
            default:
                throw new IllegalArgumentException("--trace: '" + kind + "' is not one of philly, alibaba, scenario, synthetic");
        }
    }

    private static int bad(PrintStream err, String message) {
        err.println("error: " + message);
        err.println("run with --help for the options");
        return 2;
    }

    private static Integer intOpt(Map<String, String> o, String key) {
        return o.containsKey(key) ? parseInt(key, o.get(key)) : null;
    }

    private static int intOr(Map<String, String> o, String key, int dflt) {
        return o.containsKey(key) ? parseInt(key, o.get(key)) : dflt;
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": '" + v + "' is not an integer");
        }
    }

    private static long longOr(Map<String, String> o, String key, long dflt) {
        if (!o.containsKey(key)) {
            return dflt;
        }
        try {
            return Long.parseLong(o.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": '" + o.get(key) + "' is not an integer");
        }
    }

    private static double doubleOpt(Map<String, String> o, String key, double dflt) {
        if (!o.containsKey(key)) {
            return dflt;
        }
        try {
            return Double.parseDouble(o.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": '" + o.get(key) + "' is not a number");
        }
    }

    private static Duration duration(Map<String, String> o, String key, Duration dflt) {
        if (!o.containsKey(key)) {
            return dflt;
        }
        try {
            return Duration.ofMillis(ScenarioLoader.millis("--" + key, o.get(key)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    static String usage() {
        return """
                usage: simulate --trace philly|alibaba|scenario|synthetic [options]
                  --file PATH                trace file (scenario: required)
                  --trace-dir DIR            shared traces (default -Dwdrf.traces, $WDRF_TRACES, ../shared/traces, /work/shared/traces)
                  --policies a,b,...         default fifo,drf,wdrf,wdrf-noaging,multifactor (plugin names allowed)
                  --gpus N | --nodes N       cluster size (Philly 768 GPUs, Alibaba 9 GPU nodes, synthetic 64 GPUs)
                  --compress X               divide arrival times by X (default 1)
                  --limit N                  first N jobs only
                  --loop-interval 30s        controller period (LOOP_INTERVAL)
                  --aging-coefficient X      AGING_COEFFICIENT (default 1)
                  --max-aging 24h            MAX_AGING_TIME (also the starvation threshold)
                  --within-cluster-queue P   Never | LowerPriority | LowerOrNewerEqualPriority (default Never)
                  --preemption M             engine preemption mode: never | classes | fair | allow
                                             (default classes; guard = never, deprecated)
                  --max-writes N             priority writes per cycle (default 1000)
                  --min-delta N              write hysteresis in priority points (default 0: every change)
                  --team-buckets N           Alibaba: hash buckets per QoS class (default 2)
                  --team-weights trace|equal Philly: weights from philly_vc.csv (default) or equal
                  --jobs N --seed N          synthetic trace size and seed
                  --out DIR                  write summary.csv, series.csv, jobs.csv, results.json, report.html, summary.md
                """ + "policies: " + String.join(", ", PolicyLabels.known(SimulateCommand.class.getClassLoader())) + "\n";
    }
}
