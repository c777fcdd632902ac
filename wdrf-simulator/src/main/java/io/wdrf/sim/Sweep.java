package io.wdrf.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * {@code simulate --sweep key=v1,v2,...}: replays one trace over the cartesian product of policy settings and simulator
 * options, in parallel, and marks the Pareto-optimal runs.
 *
 * <p>Axes: {@link #KEYS} (the simulate options that shape a replay; trace-loading options cannot be swept, so every
 * run sees the same jobs) plus {@code policy}. Without a {@code policy} axis, {@code --policies} is the policy axis.
 * The first axis varies slowest; at most {@link #MAX_RUNS} runs. Every replay is independent (own clock, cluster and
 * engine) and results are gathered in point order, so the output is the same for any thread count (only wall times
 * differ, and they are not in the sweep table).
 *
 * <p>Pareto objectives, all minimised: fair-share deficit (GPU-h), jobs that waited longer than {@code MAX_AGING_TIME}
 * (starvation), GPU-hours of work lost to evictions. A run is Pareto-optimal when no other run is at least as good on
 * all three and strictly better on one (equal rows are all optimal).
 */
final class Sweep {

    /** Upper bound on the number of replays in one sweep. */
    static final int MAX_RUNS = 64;

    /** Options that can be swept (besides {@code policy}). */
    static final List<String> KEYS = List.of("loop-interval", "aging-coefficient", "max-aging", "within-cluster-queue",
            "max-writes", "preemption", "min-delta", "write-order", "topology", "reclaim-within-cohort", "kueue-fair-sharing",
            "admission-fair-sharing", "afs-half-life", "checkpoint-interval", "reserve");

    static final String POLICY = "policy";

    private Sweep() {
    }

    /** One swept option and its values, in the order given. */
    record Axis(String key, List<String> values) {
        Axis {
            Objects.requireNonNull(key, "key");
            values = List.copyOf(values);
        }
    }

    /** One run of the sweep: its settings (axis key → value, in axis order). */
    record Point(int index, Map<String, String> settings) {
        Point {
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        String policy() {
            return settings.get(POLICY);
        }

        /** {@code policy [k=v k=v]}: the label of this run in tables and charts. */
        String label() {
            StringBuilder b = new StringBuilder(policy());
            String sep = " [";
            for (Map.Entry<String, String> e : settings.entrySet()) {
                if (!e.getKey().equals(POLICY)) {
                    b.append(sep).append(e.getKey()).append('=').append(e.getValue());
                    sep = " ";
                }
            }
            return sep.equals(" ") ? b.append(']').toString() : b.toString();
        }
    }

    /** The figures of one run that the sweep table shows. */
    record Row(Point point, double deficitGpuHours, double jainAllocOverFairShare, int starved, double meanWait,
               double p99Wait, double maxWait, double withinShareMeanWait, long evictions, double lostGpuHours,
               boolean pareto) {

        double[] objectives() {
            return new double[]{deficitGpuHours, starved, lostGpuHours};
        }

        Row withPareto(boolean p) {
            return new Row(point, deficitGpuHours, jainAllocOverFairShare, starved, meanWait, p99Wait, maxWait,
                    withinShareMeanWait, evictions, lostGpuHours, p);
        }

        static Row of(Point point, PolicyRun r) {
            Fairness.Stats f = r.fairness().overall();
            TeamStats s = r.overall();
            return new Row(point, f.deficitGpuHours(), r.fairness().jainAllocOverFairShare(), s.starved(), s.meanWait(),
                    s.p99Wait(), s.maxWait(), f.withinShareMeanWait(), f.evictions(), f.lostGpuHours(), false);
        }
    }

    /** Parses {@code key=v1,v2,...}. */
    static Axis parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--sweep: '" + spec + "' is not key=v1,v2,...");
        }
        String key = spec.substring(0, eq).trim();
        if (!key.equals(POLICY) && !KEYS.contains(key)) {
            throw new IllegalArgumentException("--sweep: '" + key + "' cannot be swept (one of " + POLICY + ", "
                    + String.join(", ", KEYS) + ")");
        }
        List<String> values = new ArrayList<>();
        for (String v : spec.substring(eq + 1).split(",", -1)) {
            String t = v.trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("--sweep " + key + ": empty value in '" + spec + "'");
            }
            if (values.contains(t)) {
                throw new IllegalArgumentException("--sweep " + key + ": '" + t + "' is listed twice");
            }
            values.add(t);
        }
        return new Axis(key, values);
    }

    /**
     * The cartesian product of the axes, the first axis slowest; a {@code policy} axis is taken from
     * {@code policies} when none is given (then it is the last, fastest axis).
     */
    static List<Point> points(List<Axis> axes, List<String> policies) {
        List<Axis> all = new ArrayList<>();
        for (Axis a : axes) {
            if (all.stream().anyMatch(b -> b.key().equals(a.key()))) {
                throw new IllegalArgumentException("--sweep: '" + a.key() + "' is swept twice");
            }
            all.add(a);
        }
        if (all.stream().noneMatch(a -> a.key().equals(POLICY))) {
            all.add(new Axis(POLICY, policies));
        }
        long total = 1;
        for (Axis a : all) {
            total *= a.values().size();
            if (total > MAX_RUNS) {
                throw new IllegalArgumentException("--sweep: more than " + MAX_RUNS + " runs ("
                        + all.stream().map(x -> x.key() + "×" + x.values().size()).toList() + ")");
            }
        }
        List<Point> out = new ArrayList<>();
        int[] idx = new int[all.size()];
        for (int n = 0; n < total; n++) {
            Map<String, String> s = new LinkedHashMap<>();
            for (int i = 0; i < all.size(); i++) {
                s.put(all.get(i).key(), all.get(i).values().get(idx[i]));
            }
            out.add(new Point(n, s));
            for (int i = all.size() - 1; i >= 0; i--) {
                if (++idx[i] < all.get(i).values().size()) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return out;
    }

    /**
     * Replays every point on {@code threads} threads and returns the runs in point order, each relabelled with
     * {@link Point#label()}. {@code options} turns a point's settings into simulator options (it is called for all
     * points before any replay starts, so a bad value fails fast).
     */
    static List<PolicyRun> run(Trace trace, List<Point> points, Function<Map<String, String>, SimOptions> options,
                               int threads) {
        return run(trace, points, options, threads, line -> { });
    }

    /** {@link #run(Trace, List, Function, int)}, telling {@code log} each run's end in point order. */
    static List<PolicyRun> run(Trace trace, List<Point> points, Function<Map<String, String>, SimOptions> options,
                               int threads, java.util.function.Consumer<String> log) {
        List<SimOptions> sims = new ArrayList<>();
        for (Point p : points) {
            SimOptions o = options.apply(p.settings());
            Simulator.validatePolicy(p.policy(), o);
            sims.add(o);
        }
        int n = Math.max(1, Math.min(threads, points.size()));
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "wdrf-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<PolicyRun>> futures = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                Point p = points.get(i);
                SimOptions o = sims.get(i);
                futures.add(pool.submit(() -> relabel(Simulator.run(trace, p.policy(), o, ProgressListener.NONE),
                        p.label())));
            }
            List<PolicyRun> out = new ArrayList<>();
            for (Future<PolicyRun> f : futures) {
                out.add(f.get());
                log.accept("sweep: " + out.size() + "/" + points.size() + " done: " + out.get(out.size() - 1).policy());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException("sweep run failed: " + c, c);
        } finally {
            pool.shutdownNow();
        }
    }

    static PolicyRun relabel(PolicyRun r, String label) {
        return new PolicyRun(label, r.overall(), r.teams(), r.allocationRate(), r.jain(), r.maxAgingSeconds(),
                r.writes(), r.preemptions(), r.cycles(), r.skippedCycles(), r.admissionCycles(), r.events(), r.makespanSeconds(),
                r.wallMillis(), r.engineMillis(), r.admissionMillis(), r.waits(), r.series(), r.fairness(),
                r.timeline());
    }

    /** The sweep table: one row per point, Pareto-optimal rows marked. */
    static List<Row> rows(List<Point> points, List<PolicyRun> runs) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            rows.add(Row.of(points.get(i), runs.get(i)));
        }
        return markPareto(rows);
    }

    static List<Row> markPareto(List<Row> rows) {
        List<double[]> obj = rows.stream().map(Row::objectives).toList();
        boolean[] p = pareto(obj);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            out.add(rows.get(i).withPareto(p[i]));
        }
        return out;
    }

    /**
     * Pareto-optimal points under minimisation: {@code i} is optimal unless some {@code j} is ≤ on every objective and
     * &lt; on one. NaN counts as worse than any number.
     */
    static boolean[] pareto(List<double[]> objectives) {
        boolean[] out = new boolean[objectives.size()];
        for (int i = 0; i < out.length; i++) {
            boolean dominated = false;
            for (int j = 0; j < out.length && !dominated; j++) {
                dominated = j != i && dominates(objectives.get(j), objectives.get(i));
            }
            out[i] = !dominated;
        }
        return out;
    }

    private static boolean dominates(double[] a, double[] b) {
        boolean strict = false;
        for (int k = 0; k < a.length; k++) {
            int c = compare(a[k], b[k]);
            if (c > 0) {
                return false;
            }
            strict |= c < 0;
        }
        return strict;
    }

    private static int compare(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return Double.isNaN(x) == Double.isNaN(y) ? 0 : Double.isNaN(x) ? 1 : -1;
        }
        return Double.compare(x, y);
    }

    private static final String[] HEAD_METRICS = {"fair_share_deficit_gpu_h", "jain_alloc_over_fair_share",
        "starved", "mean_wait_s", "p99_wait_s", "max_wait_s", "within_share_mean_wait_s", "evictions", "lost_gpu_h",
        "pareto"};

    /** {@code sweep.csv}: run index, the axes, the metrics, {@code pareto} = true/false. */
    static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder("run");
        if (rows.isEmpty()) {
            return sb.append('\n').toString();
        }
        for (String k : rows.get(0).point().settings().keySet()) {
            sb.append(',').append(Report.csv(k));
        }
        for (String h : HEAD_METRICS) {
            sb.append(',').append(h);
        }
        sb.append('\n');
        for (Row r : rows) {
            sb.append(r.point().index());
            for (String v : r.point().settings().values()) {
                sb.append(',').append(Report.csv(v));
            }
            sb.append(',').append(num(r.deficitGpuHours())).append(',').append(num(r.jainAllocOverFairShare()))
                    .append(',').append(r.starved()).append(',').append(num(r.meanWait())).append(',')
                    .append(num(r.p99Wait())).append(',').append(num(r.maxWait())).append(',')
                    .append(num(r.withinShareMeanWait())).append(',').append(r.evictions()).append(',')
                    .append(num(r.lostGpuHours())).append(',').append(r.pareto()).append('\n');
        }
        return sb.toString();
    }

    /** The Pareto section of the HTML report. */
    static String html(List<Row> rows, double maxAgingSeconds) {
        StringBuilder sb = new StringBuilder("<h2>Sweep: fairness vs starvation vs lost work</h2>\n<p class=\"lg\">")
                .append(rows.size()).append(" runs. Pareto-optimal (★) = no other run has a lower or equal fair-share "
                        + "deficit, starved count (wait &gt; ").append(Report.esc(hours(maxAgingSeconds)))
                .append(") and lost GPU-hours with one of them strictly lower. Also in sweep.csv.</p>\n");
        sb.append("<table><tr><th>run</th>");
        List<String> keys = rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).point().settings().keySet());
        for (String k : keys) {
            sb.append("<th>").append(Report.esc(k)).append("</th>");
        }
        for (String h : new String[]{"deficit GPU-h", "Jain alloc/fair", "starved", "mean wait", "p99 wait",
            "max wait", "within-share mean wait", "evictions", "lost GPU-h", "Pareto"}) {
            sb.append("<th>").append(h).append("</th>");
        }
        sb.append("</tr>\n");
        for (Row r : rows) {
            sb.append(r.pareto() ? "<tr style=\"background:#e8f5e9\">" : "<tr>").append("<td>")
                    .append(r.point().index()).append("</td>");
            for (String k : keys) {
                sb.append("<td>").append(Report.esc(r.point().settings().get(k))).append("</td>");
            }
            for (String v : new String[]{fmt(r.deficitGpuHours()), fmt(r.jainAllocOverFairShare()),
                Integer.toString(r.starved()), hours(r.meanWait()), hours(r.p99Wait()), hours(r.maxWait()),
                hours(r.withinShareMeanWait()), Long.toString(r.evictions()), fmt(r.lostGpuHours()),
                r.pareto() ? "★" : ""}) {
                sb.append("<td>").append(Report.esc(v)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    /** Puts the sweep section right after the report's settings line (before its Summary). */
    static String insertInto(String reportHtml, String section) {
        int at = reportHtml.indexOf("<h2>Summary</h2>");
        if (at < 0) {
            at = reportHtml.lastIndexOf("</body>");
        }
        return at < 0 ? reportHtml + section : reportHtml.substring(0, at) + section + reportHtml.substring(at);
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.3f", v);
    }

    private static String hours(double seconds) {
        if (Double.isNaN(seconds)) {
            return "n/a";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return seconds < 86400 * 2 ? String.format(Locale.ROOT, "%.1f h", seconds / 3600)
                : String.format(Locale.ROOT, "%.1f d", seconds / 86400);
    }
}
