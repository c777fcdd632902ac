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
 * --aging-coefficient X    AGING_COEFFICIENT (default 0.25, the engine default)
 * --max-aging 24h          MAX_AGING_TIME, also the starvation threshold
 * --within-cluster-queue P Never (default) | LowerPriority | LowerOrNewerEqualPriority
 * --preemption M           engine preemption mode never|classes|fair|allow (default classes; guard = never)
 * --max-writes N           reconciler writes per cycle (default 1000)
 * --min-delta N            write hysteresis in priority points (default 0: every change)
 * --write-order O          plan (default) | admission-first | order-only: the controller's write.order
 * --fast-forward M         auto (default) | on | off: collapse controller cycles that cannot influence an admission
 * --topology shared|per-team   one ClusterQueue + LocalQueue per team (default) or one ClusterQueue per team in a
 *                          cohort with nominal quotas by team weight (Philly: philly_vc.csv)
 * --reclaim-within-cohort P    per-team ClusterQueues: Never (default) | LowerPriority | Any
 * --kueue-fair-sharing true     Kueue Fair Sharing baseline
 * --admission-fair-sharing true Kueue Admission Fair Sharing baseline (--afs-half-life, default 168h)
 * --checkpoint-interval D  preempted jobs resume from their last checkpoint (default 0: from scratch)
 * --reserve [true|false]   starvation reservations (engine defaults: 24 h timeout, 100 gated); alone = true
 * --team-buckets N         Alibaba hash buckets per QoS class (default 2)
 * --team-weights trace|equal  Philly team weights from philly_vc.csv or all 1 (default trace)
 * --jobs N                 synthetic: number of jobs (default 5000)
 * --seed N                 synthetic trace seed (default 1)
 * --arrivals poisson|diurnal  synthetic: homogeneous Poisson (default) or time-of-day load (see Arrivals)
 * --sweep key=v1,v2,...    repeatable: replay the cartesian product (at most 64 runs; keys: policy and the
 *                          options above from --loop-interval to --checkpoint-interval) in parallel; writes
 *                          sweep.csv and a Pareto section (deficit vs starvation vs lost GPU-h) in report.html
 * --threads N              sweep threads (default: all cores; the results do not depend on it)
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
        List<String> sweeps = new ArrayList<>();
        picocli.CommandLine cl = new picocli.CommandLine(spec());
        cl.setOverwrittenOptionsAllowed(true); // a repeated option: the last value wins, as it always did
        cl.setStopAtUnmatched(true); // the first bad argument is the error, and --help after it is not seen
        picocli.CommandLine.ParseResult parsed;
        try {
            parsed = cl.parseArgs(args);
        } catch (picocli.CommandLine.ParameterException e) {
            if (cl.isUsageHelpRequested()) {
                out.println(usage()); // --help before the bad argument: help, as before
                return 0;
            }
            return bad(err, message(e));
        }
        if (parsed.isUsageHelpRequested()) {
            out.println(usage());
            return 0;
        }
        if (!parsed.unmatched().isEmpty()) {
            return bad(err, unmatched(parsed.unmatched().get(0)));
        }
        for (picocli.CommandLine.Model.OptionSpec o : parsed.matchedOptions()) {
            String key = o.longestName().substring(2);
            if (key.equals("help")) {
                continue;
            }
            List<String> values = o.stringValues();
            if (key.equals("sweep")) {
                if (sweeps.isEmpty()) {
                    sweeps.addAll(values); // every --sweep of the line, in order (matched once per occurrence)
                }
            } else {
                opts.put(key, values.isEmpty() ? "true" : values.get(values.size() - 1));
            }
        }
        String kind = opts.get("trace");
        if (kind == null) {
            return bad(err, "--trace is required (philly, alibaba, scenario or synthetic)");
        }
        Trace trace;
        SimOptions sim;
        List<String> policies;
        List<Sweep.Point> points = List.of();
        int threads = 1;
        try {
            LoadOptions load = new LoadOptions(intOpt(opts, "gpus"), intOpt(opts, "nodes"),
                    doubleOpt(opts, "compress", 1.0), intOr(opts, "limit", 0), intOr(opts, "team-buckets", 2),
                    opts.getOrDefault("team-weights", "trace"), longOr(opts, "seed", 1L));
            sim = simOptions(opts);
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
            if (!sweeps.isEmpty()) {
                List<Sweep.Axis> axes = new ArrayList<>();
                for (String spec : sweeps) {
                    axes.add(Sweep.parse(spec));
                }
                points = Sweep.points(axes, policies);
                threads = intOr(opts, "threads", Runtime.getRuntime().availableProcessors());
                if (threads < 1) {
                    throw new IllegalArgumentException("--threads: " + threads + " must be at least 1");
                }
                for (Sweep.Point p : points) {
                    Simulator.validatePolicy(p.policy(), simOptions(overlay(opts, p.settings())));
                }
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
                + kueueDescription(sim.kueue()) + ") under " + policies);
        ProgressListener progress = new ConsoleProgress(err, System.console() != null);
        List<PolicyRun> runs = new ArrayList<>();
        List<Sweep.Row> sweepRows = List.of();
        try {
            if (points.isEmpty()) {
                for (String p : policies) {
                    runs.add(Simulator.run(trace, p, sim, progress));
                }
            } else {
                err.println("sweep: " + points.size() + " runs on " + Math.min(threads, points.size()) + " threads");
                runs.addAll(Sweep.run(trace, points, s -> simOptions(overlay(opts, s)), threads, err::println));
                sweepRows = Sweep.rows(points, runs);
            }
        } catch (RuntimeException e) {
            err.println("error: replay failed: " + e);
            return 1;
        }
        out.print(Report.table(trace, runs, false));
        if (!sweepRows.isEmpty()) {
            out.print(Sweep.csv(sweepRows));
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("trace", trace.name());
        settings.put("loopInterval", sim.loopInterval().toString());
        settings.put("agingCoefficient", Double.toString(sim.agingCoefficient()));
        settings.put("maxAging", sim.maxAging().toString());
        settings.put("withinClusterQueue", sim.withinClusterQueue());
        settings.put("preemption", sim.preemption());
        settings.put("topology", sim.kueue().topology().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        settings.put("kueueFairSharing", Boolean.toString(sim.kueue().kueueFairSharing()));
        settings.put("admissionFairSharing", Boolean.toString(sim.kueue().admissionFairSharing()));
        settings.put("checkpointInterval", sim.kueue().checkpointInterval().toString());
        opts.forEach((k, v) -> settings.putIfAbsent("--" + k, v));
        String outDir = opts.get("out");
        if (outDir != null) {
            Path dir = Path.of(outDir);
            try {
                Report.write(dir, "summary.csv", Report.summaryCsv(runs));
                Report.write(dir, "series.csv", Report.seriesCsv(runs));
                Report.write(dir, "jobs.csv", Report.jobsCsv(trace, runs));
                Report.write(dir, "results.json", Report.json(trace, runs, settings));
                String html = Report.html(trace, runs, settings);
                if (!sweepRows.isEmpty()) {
                    Report.write(dir, "sweep.csv", Sweep.csv(sweepRows));
                    html = Sweep.insertInto(html, Sweep.html(sweepRows, sim.maxAging().toSeconds()));
                }
                Report.write(dir, "report.html", html);
                Report.write(dir, "summary.md", Report.table(trace, runs, true));
            } catch (IOException e) {
                err.println("error: cannot write to " + dir + ": " + e.getMessage());
                return 1;
            }
            err.println("wrote " + dir.resolve("report.html") + ", summary.csv, series.csv, jobs.csv, results.json, summary.md");
        }
        return 0;
    }

    /**
     * The command line: every option of {@link #KNOWN} takes one value ({@code --key value} or {@code --key=value});
     * {@code --sweep} repeats; {@code --reserve} may stand alone (= {@code true}); {@code -h}/{@code --help}.
     */
    static picocli.CommandLine.Model.CommandSpec spec() {
        picocli.CommandLine.Model.CommandSpec spec = picocli.CommandLine.Model.CommandSpec.create().name("simulate");
        spec.addOption(picocli.CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true).build());
        for (String key : KNOWN) {
            picocli.CommandLine.Model.OptionSpec.Builder b = picocli.CommandLine.Model.OptionSpec.builder("--" + key)
                    .paramLabel("VALUE");
            if (key.equals("sweep")) {
                b.type(List.class).auxiliaryTypes(String.class).arity("1");
            } else if (FLAGS.contains(key)) {
                b.type(String.class).arity("0..1").fallbackValue("true");
            } else {
                b.type(String.class).arity("1");
            }
            spec.addOption(b.build());
        }
        return spec;
    }

    /** The old parser's wording for picocli's errors (scripts and tests match on it). */
    private static String message(picocli.CommandLine.ParameterException e) {
        if (e instanceof picocli.CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            return unmatched(u.getUnmatched().get(0));
        }
        if (e instanceof picocli.CommandLine.MissingParameterException m && m.getMissing() != null
                && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof picocli.CommandLine.Model.OptionSpec o) {
            return "option " + o.longestName() + " needs a value";
        }
        return e.getMessage();
    }

    private static String unmatched(String arg) {
        if (arg.startsWith("--")) {
            int eq = arg.indexOf('=');
            return "unknown option " + (eq >= 0 ? arg.substring(0, eq) : arg);
        }
        return "unexpected argument '" + arg + "'";
    }

    /** Options that may be given without a value (meaning {@code true}). */
    private static final List<String> FLAGS = List.of("reserve");

    private static final List<String> KNOWN = List.of("trace", "file", "trace-dir", "policies", "gpus", "nodes",
            "compress", "limit", "loop-interval", "aging-coefficient", "max-aging", "within-cluster-queue", "max-writes",
            "team-buckets", "team-weights", "jobs", "seed", "out", "preemption", "min-delta", "topology",
            "reclaim-within-cohort", "kueue-fair-sharing", "admission-fair-sharing", "afs-half-life",
            "checkpoint-interval", "sweep", "threads", "arrivals", "reserve", "placement", "write-order",
            "fast-forward");

    /** The simulator options of a replay, from the command's options. */
    static SimOptions simOptions(Map<String, String> opts) {
        return new SimOptions(duration(opts, "loop-interval", Duration.ofSeconds(30)),
                doubleOpt(opts, "aging-coefficient", io.wdrf.api.PolicyConfig.defaults().agingCoefficient()), duration(opts, "max-aging", Duration.ofHours(24)),
                opts.getOrDefault("within-cluster-queue", "Never"), intOr(opts, "max-writes", 1000), 240,
                opts.getOrDefault("preemption", "classes"), intOr(opts, "min-delta", 0),
                new KueueSetup(KueueSetup.Topology.parse(opts.getOrDefault("topology", "shared")),
                        opts.getOrDefault("reclaim-within-cohort", "Never"),
                        flag(opts, "kueue-fair-sharing"), flag(opts, "admission-fair-sharing"),
                        duration(opts, "afs-half-life", Duration.ofHours(168)),
                        duration(opts, "checkpoint-interval", Duration.ZERO),
                        io.wdrf.sim.placement.PlacementPolicy.parse(opts.getOrDefault("placement", "none"))),
                opts.containsKey("reserve") ? flag(opts, "reserve") : Boolean.getBoolean("wdrf.sim.reserve"),
                writeOrder(opts.getOrDefault("write-order", "plan")),
                FastForward.parse(opts.getOrDefault("fast-forward", "auto")));
    }

    /** {@code plan}, {@code admission-first} or {@code order-only}, as the controller's {@code write.order}. */
    static io.wdrf.engine.WriteOrdering writeOrder(String v) {
        return switch (v.trim()) {
            case "plan" -> io.wdrf.engine.WriteOrdering.PLAN;
            case "admission-first" -> io.wdrf.engine.WriteOrdering.ADMISSION_FIRST;
            case "order-only" -> io.wdrf.engine.WriteOrdering.ORDER_ONLY;
            default -> throw new IllegalArgumentException("--write-order: '" + v
                    + "' is not one of plan, admission-first, order-only");
        };
    }

    /** {@code base} with a sweep point's settings on top (its policy is not a simulator option). */
    static Map<String, String> overlay(Map<String, String> base, Map<String, String> point) {
        Map<String, String> m = new LinkedHashMap<>(base);
        point.forEach((k, v) -> {
            if (!k.equals(Sweep.POLICY)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** How the Kueue setup differs from the default, for the start line ("" for the default). */
    static String kueueDescription(KueueSetup k) {
        StringBuilder b = new StringBuilder();
        if (k.topology() == KueueSetup.Topology.PER_TEAM) {
            b.append("; split into one ClusterQueue per team in a cohort, reclaimWithinCohort ").append(k.reclaimWithinCohort());
        }
        if (k.kueueFairSharing()) {
            b.append("; Kueue Fair Sharing");
        }
        if (k.admissionFairSharing()) {
            b.append("; Kueue Admission Fair Sharing (half-life ").append(k.afsHalfLife()).append(')');
        }
        if (!k.checkpointInterval().isZero()) {
            b.append("; checkpoints every ").append(k.checkpointInterval());
        }
        if (k.placement() != io.wdrf.sim.placement.PlacementPolicy.NONE) {
            b.append("; node placement ").append(k.placement().flagName());
        }
        return b.toString();
    }

    /** A boolean option: {@code --x true|false} (the value is required, as for every option). */
    private static boolean flag(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--" + key + ": '" + v + "' is not true or false");
        };
    }

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
                Trace t = Traces.synthetic(load.seed(), intOr(opts, "jobs", 5000), 4, gpus, 0.9,
                        Arrivals.parse(opts.getOrDefault("arrivals", "poisson")));
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
                  --aging-coefficient X      AGING_COEFFICIENT (default 0.25, the engine default)
                  --max-aging 24h            MAX_AGING_TIME (also the starvation threshold)
                  --within-cluster-queue P   Never | LowerPriority | LowerOrNewerEqualPriority (default Never)
                  --preemption M             engine preemption mode: never | classes | fair | allow
                                             (default classes; guard = never, deprecated)
                  --max-writes N             priority writes per cycle (default 1000)
                  --min-delta N              write hysteresis in priority points (default 0: every change)
                  --write-order O            plan (default) | admission-first | order-only (write.order)
                  --fast-forward M           auto (default: collapse controller cycles no admission can see, only
                                             where provably exact) | on (also where --max-writes may bind:
                                             approximate) | off (every cycle)
                  --topology shared|per-team one ClusterQueue with a LocalQueue per team (default), or one
                                             ClusterQueue per team in a cohort, nominal quota by team weight
                  --reclaim-within-cohort P  per-team: Never (default) | LowerPriority | Any
                  --kueue-fair-sharing B     true: Kueue Fair Sharing (DRS tournament, fair preemption)
                  --admission-fair-sharing B true: Kueue Admission Fair Sharing (LocalQueue usage, GPUs weighted)
                  --afs-half-life 168h       usageHalfLifeTime of Admission Fair Sharing
                  --checkpoint-interval 0s   a preempted job resumes from its last checkpoint (0: from scratch)
                  --placement none|binpack|spread  after admission, place pods on nodes (HAMi per-card fractions,
                                             HAMi's policy): a pod that fits no node holds its quota and waits
                                             (default none: admitted jobs run at once)
                  --reserve [B]              starvation reservations (24 h timeout, 100 gated); alone = true
                                             (default false; -Dwdrf.sim.reserve=true still works)
                  --team-buckets N           Alibaba: hash buckets per QoS class (default 2)
                  --team-weights trace|equal Philly: weights from philly_vc.csv (default) or equal
                  --jobs N --seed N          synthetic trace size and seed
                  --arrivals poisson|diurnal synthetic: Poisson (default) or time-of-day load, peak 1.6x at 14:00,
                                             trough 0.4x at 02:00
                  --sweep key=v1,v2,...      repeatable; cartesian product (<= 64 runs) of policy and the options
                                             --loop-interval .. --checkpoint-interval, run in parallel; sweep.csv +
                                             Pareto section (deficit vs starvation vs lost GPU-h) in report.html
                  --threads N                sweep threads (default all cores; results do not depend on it)
                  --out DIR                  write summary.csv, series.csv, jobs.csv, results.json, report.html, summary.md
                """ + "policies: " + String.join(", ", PolicyLabels.known(SimulateCommand.class.getClassLoader())) + "\n";
    }
}
