package io.wdrf.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders replay results: terminal/markdown table, CSV, JSON and a self-contained HTML report with inline SVG. */
final class Report {

    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"};

    private Report() {
    }

    // ------------------------------------------------------------------------------------------ table

    /**
     * Both summary tables (waits, then fairness), and a note for every policy under which no job waited: there the
     * fairness ratios are undefined and read "no contention", not a perfect score.
     */
    static String table(Trace trace, List<PolicyRun> runs, boolean markdown) {
        StringBuilder sb = new StringBuilder();
        sb.append(render(WAIT_HEAD, waitRows(runs), markdown));
        sb.append('\n');
        sb.append(render(FAIR_HEAD, fairnessRows(runs), markdown));
        for (String note : notes(runs)) {
            sb.append('\n').append(note).append('\n');
        }
        return sb.toString();
    }

    private static final String[] WAIT_HEAD = {"policy", "jobs", "mean wait", "p50 wait", "p99 wait", "max wait",
        "mean JCT", "GPU alloc", "starved", "max wait/MAX_AGING", "writes", "preempt", "wall"};

    private static final String[] FAIR_HEAD = {"policy", "deficit GPU-h", "Jain alloc/fair", "within-share jobs",
        "within-share mean wait", "within-share p99 wait", "inversions", "FTF p50", "FTF p99", "evictions",
        "lost GPU-h", "reservations", "reserved idle GPU-h"};

    static final String NO_CONTENTION = "no contention";

    static List<String[]> waitRows(List<PolicyRun> runs) {
        List<String[]> rows = new ArrayList<>();
        for (PolicyRun r : runs) {
            TeamStats o = r.overall();
            rows.add(new String[] {r.policy(), Integer.toString(o.jobs()), dur(o.meanWait()), dur(o.p50Wait()),
                dur(o.p99Wait()), dur(o.maxWait()), dur(o.meanJct()), pct(r.allocationRate()),
                Integer.toString(o.starved()), num(o.maxWait() / r.maxAgingSeconds(), 2), Long.toString(r.writes()),
                Long.toString(r.preemptions()), num(r.wallMillis() / 1000.0, 1) + " s"});
        }
        return rows;
    }

    static List<String[]> fairnessRows(List<PolicyRun> runs) {
        List<String[]> rows = new ArrayList<>();
        for (PolicyRun r : runs) {
            Fairness f = r.fairness();
            Fairness.Stats s = f.overall();
            rows.add(new String[] {r.policy(), num(s.deficitGpuHours(), 0),
                f.contended() ? num(f.jainAllocOverFairShare(), 3) : NO_CONTENTION, Integer.toString(s.withinShareJobs()),
                dur(s.withinShareMeanWait()), dur(s.withinShareP99Wait()), Long.toString(s.inversions()),
                ratio(s.ftfP50()), ratio(s.ftfP99()), Long.toString(s.evictions()), num(s.lostGpuHours(), 0),
                Long.toString(s.reservations()), num(s.reservedIdleGpuHours(), 0)});
        }
        return rows;
    }

    static List<String> notes(List<PolicyRun> runs) {
        List<String> notes = new ArrayList<>();
        for (PolicyRun r : runs) {
            if (!r.fairness().contended()) {
                notes.add(r.policy() + ": no contention: every job was admitted on arrival (all waits 0), so the "
                        + "fairness ratios do not apply; this is not a fairness result");
            }
        }
        return notes;
    }

    private static String render(String[] head, List<String[]> rows, boolean markdown) {
        StringBuilder sb = new StringBuilder();
        if (markdown) {
            sb.append('|').append(String.join("|", head)).append("|\n|");
            sb.append("---|".repeat(head.length)).append('\n');
            for (String[] r : rows) {
                sb.append('|').append(String.join("|", r)).append("|\n");
            }
            return sb.toString();
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        appendRow(sb, head, w);
        StringBuilder line = new StringBuilder();
        for (int x : w) {
            line.append("-".repeat(x)).append("  ");
        }
        sb.append(line.toString().stripTrailing()).append('\n');
        for (String[] r : rows) {
            appendRow(sb, r, w);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i];
            l.append(i == 0 ? pad(c, w[i]) : lpad(c, w[i])).append("  ");
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String lpad(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }

    /** Human duration: 42 s, 3.5 min, 2.1 h, 4.0 d. */
    static String dur(double seconds) {
        if (Double.isNaN(seconds)) {
            return "-";
        }
        if (seconds < 60) {
            return num(seconds, 0) + " s";
        }
        if (seconds < 3600) {
            return num(seconds / 60, 1) + " min";
        }
        if (seconds < 86400) {
            return num(seconds / 3600, 1) + " h";
        }
        return num(seconds / 86400, 1) + " d";
    }

    /** A ratio that may span orders of magnitude: 2 decimals from 0.01 on, else 2 significant digits (2.3e-04). */
    static String ratio(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        if (v == 0 || Math.abs(v) >= 0.01) {
            return num(v, 2);
        }
        return String.format(Locale.ROOT, "%.1e", v);
    }

    static String pct(double v) {
        return num(v * 100, 1) + "%";
    }

    static String num(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    // ------------------------------------------------------------------------------------------ CSV

    static String summaryCsv(List<PolicyRun> runs) {
        StringBuilder sb = new StringBuilder("policy,team,weight,jobs,unstarted,mean_wait_s,p50_wait_s,p99_wait_s,"
                + "max_wait_s,mean_jct_s,starved,mean_weighted_share,allocation_rate,jain_weighted_dominant_share,writes,"
                + "preemptions,cycles,admission_cycles,events,makespan_s,wall_ms,engine_ms,admission_ms,"
                + "fair_share_deficit_gpu_h,jain_alloc_over_fair_share,mean_alloc_over_fair_share,within_share_jobs,"
                + "within_share_mean_wait_s,within_share_p99_wait_s,inversions,ftf_jobs,ftf_p50,ftf_p99,evictions,"
                + "lost_gpu_h,reservations,reserved_idle_gpu_h,skipped_cycles\n");
        for (PolicyRun r : runs) {
            csvRow(sb, r, "ALL", r.overall(), r.fairness().overall(), true);
            r.teams().forEach((t, s) -> csvRow(sb, r, t, s, r.fairness().teams().get(t), false));
        }
        return sb.toString();
    }

    private static void csvRow(StringBuilder sb, PolicyRun r, String team, TeamStats s, Fairness.Stats f,
                               boolean overall) {
        boolean contended = r.fairness().contended();
        sb.append(csv(r.policy())).append(',').append(csv(team)).append(',').append(d(s.weight())).append(',')
                .append(s.jobs()).append(',').append(s.unstarted()).append(',').append(d(s.meanWait())).append(',')
                .append(d(s.p50Wait())).append(',').append(d(s.p99Wait())).append(',').append(d(s.maxWait())).append(',')
                .append(d(s.meanJct())).append(',').append(s.starved()).append(',').append(d(s.meanShare())).append(',');
        if (overall) {
            sb.append(d(r.allocationRate())).append(',').append(contended ? d(r.jain()) : "").append(',')
                    .append(r.writes()).append(',').append(r.preemptions()).append(',').append(r.cycles()).append(',')
                    .append(r.admissionCycles()).append(',').append(r.events()).append(',')
                    .append(d(r.makespanSeconds())).append(',').append(r.wallMillis()).append(',')
                    .append(r.engineMillis()).append(',').append(r.admissionMillis()).append(',');
        } else {
            sb.append(",,,,,,,,,,,");
        }
        sb.append(d(f.deficitGpuHours())).append(',').append(overall ? d(r.fairness().jainAllocOverFairShare()) : "")
                .append(',').append(contended ? d(f.allocOverFairShare()) : "").append(',').append(f.withinShareJobs())
                .append(',').append(d(f.withinShareMeanWait())).append(',').append(d(f.withinShareP99Wait())).append(',')
                .append(f.inversions()).append(',').append(f.ftfJobs()).append(',').append(d(f.ftfP50())).append(',')
                .append(d(f.ftfP99())).append(',').append(f.evictions()).append(',').append(d(f.lostGpuHours()))
                .append(',').append(f.reservations()).append(',').append(d(f.reservedIdleGpuHours())).append(',')
                .append(overall ? Long.toString(r.skippedCycles()) : "").append('\n');
    }

    /**
     * One row per job and policy, with everything needed to recompute any metric outside WDRF: the job, its team, its
     * requests (Kubernetes quantities, {@code name=value} joined by {@code ;}), the GPUs it holds while running,
     * arrival and duration, every admission and eviction time (seconds, {@code ;}-separated, in order), its finish time
     * (empty when it did not finish), its wait, whether it was within its team's fair share at arrival, the static-share
     * JCT estimate and the finish-time-fairness ratio ({@link FinishTimeFairness}).
     */
    static String jobsCsv(Trace trace, List<PolicyRun> runs) {
        StringBuilder sb = new StringBuilder("policy,job,team,requests,gpus,arrival_s,duration_s,admissions_s,"
                + "evictions_s,finish_s,wait_s,within_share,static_share_jct_s,ftf\n");
        List<SimJob> jobs = trace.jobs();
        for (PolicyRun r : runs) {
            Timeline tl = r.timeline();
            long[][] adm = tl.timesOf(Timeline.Kind.ADMIT);
            long[][] ev = tl.timesOf(Timeline.Kind.EVICT);
            long[] fin = tl.finishes();
            long[] waits = tl.waits();
            boolean[] within = FairnessSweep.run(tl).withinShare();
            long[] stat = FinishTimeFairness.staticJct(tl);
            String policy = csv(r.policy());
            for (int j = 0; j < tl.jobCount(); j++) {
                SimJob job = jobs.get(j);
                StringBuilder req = new StringBuilder();
                job.requests().forEach((k, v) -> req.append(req.length() == 0 ? "" : ";").append(k).append('=').append(v));
                sb.append(policy).append(',').append(csv(job.name())).append(',').append(csv(job.team())).append(',')
                        .append(csv(req.toString())).append(',').append(d(tl.gpus(j))).append(',')
                        .append(ms(tl.arrival(j))).append(',').append(ms(tl.duration(j))).append(',')
                        .append(list(adm[j])).append(',').append(list(ev[j])).append(',')
                        .append(fin[j] >= 0 ? ms(fin[j]) : "").append(',').append(ms(waits[j])).append(',')
                        .append(within[j] ? 1 : 0).append(',').append(ms(stat[j])).append(',')
                        .append(fin[j] >= 0 && stat[j] > 0 ? d((double) (fin[j] - tl.arrival(j)) / stat[j]) : "")
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String ms(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000)
                : String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static String list(long[] millis) {
        StringBuilder b = new StringBuilder();
        for (long m : millis) {
            b.append(b.length() == 0 ? "" : ";").append(ms(m));
        }
        return b.toString();
    }

    /** RFC 4180 field: quoted when it holds a comma, quote or line break. */
    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    static String seriesCsv(List<PolicyRun> runs) {
        StringBuilder sb = new StringBuilder("policy,bucket_start_s,allocation_rate,team,weighted_share\n");
        for (PolicyRun r : runs) {
            PolicyRun.Series s = r.series();
            for (int b = 0; b < s.allocation().length; b++) {
                String start = d(b * s.bucketSeconds());
                sb.append(r.policy()).append(',').append(start).append(',').append(d(s.allocation()[b])).append(",,\n");
                for (Map.Entry<String, double[]> e : s.shares().entrySet()) {
                    sb.append(r.policy()).append(',').append(start).append(",,").append(e.getKey()).append(',')
                            .append(d(e.getValue()[b])).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String d(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String g = String.format(Locale.ROOT, "%.6g", v);
        if (g.indexOf('e') < 0 && g.indexOf('.') >= 0) {
            // the trailing zeros, then a trailing point (g.replaceAll("0+$", ""), without a regex per value)
            int end = g.length();
            while (end > 0 && g.charAt(end - 1) == '0') {
                end--;
            }
            if (end > 0 && g.charAt(end - 1) == '.') {
                end--;
            }
            g = g.substring(0, end);
        }
        return g;
    }

    // ------------------------------------------------------------------------------------------ JSON

    static String json(Trace trace, List<PolicyRun> runs, Map<String, String> settings) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"trace\": ").append(q(trace.name())).append(",\n");
        sb.append("  \"cluster\": ").append(q(trace.cluster().description())).append(",\n");
        sb.append("  \"jobs\": ").append(trace.jobs().size()).append(",\n");
        sb.append("  \"skippedRows\": ").append(trace.skipped()).append(",\n");
        sb.append("  \"settings\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            sb.append(first ? "" : ", ").append(q(e.getKey())).append(": ").append(q(e.getValue()));
            first = false;
        }
        sb.append("},\n  \"policies\": [\n");
        for (int i = 0; i < runs.size(); i++) {
            PolicyRun r = runs.get(i);
            sb.append("    {\"policy\": ").append(q(r.policy()))
                    .append(", \"allocationRate\": ").append(jn(r.allocationRate()))
                    .append(", \"jainWeightedDominantShare\": ").append(r.fairness().contended() ? jn(r.jain()) : "null")
                    .append(", \"jainAllocOverFairShare\": ").append(jn(r.fairness().jainAllocOverFairShare()))
                    .append(", \"contended\": ").append(r.fairness().contended())
                    .append(", \"maxAgingSeconds\": ").append(jn(r.maxAgingSeconds()))
                    .append(", \"writes\": ").append(r.writes())
                    .append(", \"preemptions\": ").append(r.preemptions())
                    .append(", \"cycles\": ").append(r.cycles())
                    .append(", \"skippedCycles\": ").append(r.skippedCycles())
                    .append(", \"admissionCycles\": ").append(r.admissionCycles())
                    .append(", \"events\": ").append(r.events())
                    .append(", \"makespanSeconds\": ").append(jn(r.makespanSeconds()))
                    .append(", \"wallMillis\": ").append(r.wallMillis())
                    .append(", \"engineMillis\": ").append(r.engineMillis())
                    .append(", \"admissionMillis\": ").append(r.admissionMillis())
                    .append(",\n     \"overall\": ").append(stats(r.overall(), r.fairness().overall()))
                    .append(",\n     \"teams\": {");
            boolean f = true;
            for (Map.Entry<String, TeamStats> e : r.teams().entrySet()) {
                sb.append(f ? "\n       " : ",\n       ").append(q(e.getKey())).append(": ")
                        .append(stats(e.getValue(), r.fairness().teams().get(e.getKey())));
                f = false;
            }
            sb.append("}}").append(i + 1 < runs.size() ? ",\n" : "\n");
        }
        sb.append("  ],\n  \"skipped\": [");
        for (int i = 0; i < trace.errors().size(); i++) {
            sb.append(i == 0 ? "\n    " : ",\n    ").append(q(trace.errors().get(i)));
        }
        sb.append(trace.errors().isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        return sb.toString();
    }

    private static String stats(TeamStats s, Fairness.Stats f) {
        return "{\"jobs\": " + s.jobs() + ", \"unstarted\": " + s.unstarted() + ", \"weight\": " + jn(s.weight())
                + ", \"meanWait\": " + jn(s.meanWait()) + ", \"p50Wait\": " + jn(s.p50Wait()) + ", \"p99Wait\": "
                + jn(s.p99Wait()) + ", \"maxWait\": " + jn(s.maxWait()) + ", \"meanJct\": " + jn(s.meanJct())
                + ", \"starved\": " + s.starved() + ", \"meanWeightedShare\": " + jn(s.meanShare())
                + ", \"fairShareDeficitGpuHours\": " + jn(f.deficitGpuHours()) + ", \"meanAllocOverFairShare\": "
                + jn(f.allocOverFairShare()) + ", \"withinShareJobs\": " + f.withinShareJobs()
                + ", \"withinShareMeanWait\": " + jn(f.withinShareMeanWait()) + ", \"withinShareP99Wait\": "
                + jn(f.withinShareP99Wait()) + ", \"inversions\": " + f.inversions() + ", \"ftfJobs\": " + f.ftfJobs()
                + ", \"ftfP50\": " + jn(f.ftfP50()) + ", \"ftfP99\": " + jn(f.ftfP99()) + ", \"evictions\": "
                + f.evictions() + ", \"lostGpuHours\": " + jn(f.lostGpuHours()) + ", \"reservations\": "
                + f.reservations() + ", \"reservedIdleGpuHours\": " + jn(f.reservedIdleGpuHours()) + "}";
    }

    private static String jn(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : d(v);
    }

    static String q(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    // ------------------------------------------------------------------------------------------ HTML

    static String html(Trace trace, List<PolicyRun> runs, Map<String, String> settings) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>WDRF replay: ")
                .append(esc(trace.name())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}"
                + "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;"
                + "text-align:right}td:first-child,th:first-child{text-align:left}svg{background:#fff;"
                + "border:1px solid #ddd;margin:6px 0}.lg{font-size:12px}</style></head><body>\n");
        sb.append("<h1>WDRF trace replay: ").append(esc(trace.name())).append("</h1>\n<p>")
                .append(esc(trace.cluster().description())).append(". ").append(trace.jobs().size())
                .append(" jobs, ").append(trace.skipped()).append(" rows skipped.</p>\n<p class=\"lg\">");
        settings.forEach((k, v) -> sb.append(esc(k)).append(" = ").append(esc(v)).append("; "));
        sb.append("</p>\n<h2>Summary</h2>\n");
        htmlTable(sb, WAIT_HEAD, waitRows(runs));
        sb.append("<h2>Fairness against the demand-aware fair share</h2>\n<p class=\"lg\">Fair share = weighted "
                + "max-min water-filling of the GPUs over the teams' current demand (running + pending). Deficit = "
                + "GPU-hours of fair share that teams with pending work did not hold; Jain over allocation / fair share "
                + "of the waiting teams, time-averaged; within-share jobs fitted their team's fair share at arrival; "
                + "FTF = JCT / JCT on the team's static share. Definitions: wdrf-simulator/README.md.</p>\n");
        htmlTable(sb, FAIR_HEAD, fairnessRows(runs));
        for (String note : notes(runs)) {
            sb.append("<p><b>").append(esc(note)).append("</b></p>\n");
        }
        sb.append("<h2>Queueing delay CDF</h2>\n");
        List<String> names = new ArrayList<>();
        List<double[][]> curves = new ArrayList<>();
        for (PolicyRun r : runs) {
            names.add(r.policy());
            curves.add(cdf(r.waits()));
        }
        sb.append(chart(names, curves, "queueing delay (log scale, 1 + seconds)", "fraction of jobs", true, 1.0));
        sb.append("<h2>Fair-share deficit over time</h2>\n<p class=\"lg\">GPUs that waiting teams held below their "
                + "fair share, summed over teams, mean per time bucket.</p>\n");
        curves = new ArrayList<>();
        double maxDeficit = 0;
        for (PolicyRun r : runs) {
            double[] d = deficitSeries(r);
            for (double v : d) {
                maxDeficit = Math.max(maxDeficit, v);
            }
            curves.add(series(d, r.series().bucketSeconds()));
        }
        sb.append(chart(names, curves, "time (days)", "GPUs below fair share", false, maxDeficit > 0 ? maxDeficit : 1.0));
        sb.append("<h2>GPU allocation rate over time</h2>\n");
        curves = new ArrayList<>();
        for (PolicyRun r : runs) {
            curves.add(series(r.series().allocation(), r.series().bucketSeconds()));
        }
        sb.append(chart(names, curves, "time (days)", "allocated / capacity", false, 1.0));
        for (PolicyRun r : runs) {
            sb.append("<h2>Weighted dominant share per team: ").append(esc(r.policy())).append("</h2>\n");
            List<String> teams = new ArrayList<>();
            List<double[][]> sc = new ArrayList<>();
            double max = 0;
            for (Map.Entry<String, double[]> e : r.series().shares().entrySet()) {
                teams.add(e.getKey());
                sc.add(series(e.getValue(), r.series().bucketSeconds()));
                for (double v : e.getValue()) {
                    max = Math.max(max, v);
                }
            }
            sb.append(chart(teams, sc, "time (days)", "weighted dominant share", false, max > 0 ? max : 1.0));
            String[] head = {"team", "weight", "jobs", "mean wait", "p99 wait", "max wait", "starved", "mean share",
                "deficit GPU-h", "alloc/fair while waiting", "within-share jobs", "within-share mean wait",
                "within-share p99 wait", "passed over", "FTF p50", "FTF p99", "evictions", "lost GPU-h",
                "reservations", "reserved idle GPU-h"};
            List<String[]> rows = new ArrayList<>();
            boolean contended = r.fairness().contended();
            r.teams().forEach((t, s) -> {
                Fairness.Stats f = r.fairness().teams().get(t);
                rows.add(new String[] {t, num(s.weight(), 2), Integer.toString(s.jobs()), dur(s.meanWait()),
                    dur(s.p99Wait()), dur(s.maxWait()), Integer.toString(s.starved()), num(s.meanShare(), 3),
                    num(f.deficitGpuHours(), 0), contended ? num(f.allocOverFairShare(), 3) : NO_CONTENTION,
                    Integer.toString(f.withinShareJobs()), dur(f.withinShareMeanWait()), dur(f.withinShareP99Wait()),
                    Long.toString(f.inversions()), ratio(f.ftfP50()), ratio(f.ftfP99()), Long.toString(f.evictions()),
                    num(f.lostGpuHours(), 0), Long.toString(f.reservations()), num(f.reservedIdleGpuHours(), 0)});
            });
            htmlTable(sb, head, rows);
        }
        if (!trace.errors().isEmpty()) {
            sb.append("<h2>Skipped rows (first ").append(trace.errors().size()).append(" of ").append(trace.skipped())
                    .append(")</h2>\n<pre>");
            trace.errors().forEach(e -> sb.append(esc(e)).append('\n'));
            sb.append("</pre>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    /** Mean GPUs below fair share per bucket of the run's series. */
    static double[] deficitSeries(PolicyRun r) {
        long bucketMs = Math.max(1, Math.round(r.series().bucketSeconds() * 1000));
        double[] gpuMs = FairnessSweep.run(r.timeline(), bucketMs).deficitByBucket();
        double[] out = new double[gpuMs.length];
        long end = r.timeline().endMillis();
        for (int b = 0; b < out.length; b++) {
            long width = b == out.length - 1 ? end - b * bucketMs : bucketMs;
            out[b] = width > 0 ? gpuMs[b] / width : 0;
        }
        return out;
    }

    private static void htmlTable(StringBuilder sb, String[] head, List<String[]> rows) {
        sb.append("<table><tr>");
        for (String c : head) {
            sb.append("<th>").append(esc(c)).append("</th>");
        }
        sb.append("</tr>\n");
        for (String[] r : rows) {
            sb.append("<tr>");
            for (String c : r) {
                sb.append("<td>").append(esc(c)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    /** CDF points (x = wait seconds, y = fraction), at most ~400 points. */
    private static double[][] cdf(double[] sortedWaits) {
        int n = sortedWaits.length;
        if (n == 0) {
            return new double[0][];
        }
        int step = Math.max(1, n / 400);
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < n; i += step) {
            pts.add(new double[] {sortedWaits[i], (i + 1) / (double) n});
        }
        pts.add(new double[] {sortedWaits[n - 1], 1.0});
        return pts.toArray(new double[0][]);
    }

    private static double[][] series(double[] values, double bucketSeconds) {
        double[][] pts = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            pts[i] = new double[] {(i + 0.5) * bucketSeconds / 86400.0, values[i]};
        }
        return pts;
    }

    /** A line chart; {@code logX} plots log10(1 + x). */
    static String chart(List<String> names, List<double[][]> curves, String xLabel, String yLabel, boolean logX,
                        double yMax) {
        int w = 860;
        int h = 300;
        int left = 60;
        int right = 150;
        int top = 10;
        int bottom = 40;
        double xMax = 0;
        for (double[][] c : curves) {
            for (double[] p : c) {
                xMax = Math.max(xMax, logX ? Math.log10(1 + p[0]) : p[0]);
            }
        }
        if (xMax <= 0) {
            xMax = 1;
        }
        double pw = w - left - right;
        double ph = h - top - bottom;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-size=\"11\">\n", w, h, w, h));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
                + "stroke=\"#999\"/>\n", left, top, pw, ph));
        for (int i = 0; i <= 4; i++) {
            double y = top + ph - ph * i / 4.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", left, y, left + pw, y, left - 4, y + 4,
                    num(yMax * i / 4.0, yMax >= 10 ? 0 : 2)));
        }
        if (logX) {
            String[] lab = {"10 s", "100 s", "17 min", "2.8 h", "1.2 d", "12 d", "116 d", "3.2 y"}; // 10^e - 1 s
            for (int e = 0; e <= Math.ceil(xMax) && e < lab.length; e++) {
                double x = left + pw * e / xMax;
                if (x > left + pw + 0.5) {
                    break;
                }
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x,
                        top + (int) ph + 14, e == 0 ? "0" : lab[e - 1]));
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                double x = left + pw * i / 5.0;
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x,
                        top + (int) ph + 14, num(xMax * i / 5.0, xMax >= 10 ? 0 : 1)));
            }
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                left + pw / 2, h - 6, esc(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 12 %.1f)\">%s</text>\n", top + ph / 2, top + ph / 2, esc(yLabel)));
        for (int c = 0; c < curves.size(); c++) {
            String color = PALETTE[c % PALETTE.length];
            StringBuilder pts = new StringBuilder();
            for (double[] p : curves.get(c)) {
                double xv = logX ? Math.log10(1 + p[0]) : p[0];
                double x = left + pw * xv / xMax;
                double y = top + ph - ph * Math.min(1.0, Math.max(0.0, p[1] / yMax));
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(color).append("\" points=\"")
                    .append(pts.toString().trim()).append("\"/>\n");
            double ly = top + 12 + c * 14;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>\n", left + pw + 8, ly - 4, left + pw + 24,
                    ly - 4, color, left + pw + 28, ly, esc(names.get(c))));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static void write(Path dir, String file, String content) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
    }
}
