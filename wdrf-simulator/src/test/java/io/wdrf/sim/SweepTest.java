package io.wdrf.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --sweep}: axes, cartesian product, Pareto marking (worked by hand), determinism across thread counts. */
class SweepTest {

    @TempDir
    Path dir;

    @Test
    void parsesAxesAndRejectsWhatCannotBeSwept() {
        assertThat(Sweep.parse("preemption=never,fair")).isEqualTo(new Sweep.Axis("preemption", List.of("never", "fair")));
        assertThatThrownBy(() -> Sweep.parse("limit=1,2")).hasMessageContaining("'limit' cannot be swept");
        assertThatThrownBy(() -> Sweep.parse("preemption")).hasMessageContaining("is not key=v1,v2");
        assertThatThrownBy(() -> Sweep.parse("min-delta=1,,2")).hasMessageContaining("empty value");
        assertThatThrownBy(() -> Sweep.parse("min-delta=1,1")).hasMessageContaining("'1' is listed twice");
        List<Sweep.Axis> twice = List.of(Sweep.parse("min-delta=1"), Sweep.parse("min-delta=2"));
        assertThatThrownBy(() -> Sweep.points(twice, List.of("wdrf"))).hasMessageContaining("swept twice");
        List<Sweep.Axis> big = List.of(Sweep.parse("min-delta=0,1,2,3,4,5,6,7"), Sweep.parse("max-writes=1,2,3,4,5"),
                Sweep.parse("aging-coefficient=0,1"));
        assertThatThrownBy(() -> Sweep.points(big, List.of("wdrf"))).hasMessageContaining("more than 64 runs");
        assertThat(Sweep.points(big.subList(0, 2), List.of("fifo"))).hasSize(40);
    }

    @Test
    void cartesianProductFirstAxisSlowestPolicyFromPoliciesLast() {
        List<Sweep.Point> p = Sweep.points(List.of(Sweep.parse("aging-coefficient=0,1"),
                Sweep.parse("preemption=never,fair,allow")), List.of("fifo", "wdrf"));
        assertThat(p).hasSize(12);
        assertThat(p.get(0).settings()).containsExactly(Map.entry("aging-coefficient", "0"),
                Map.entry("preemption", "never"), Map.entry("policy", "fifo"));
        assertThat(p.get(1).settings()).containsEntry("policy", "wdrf").containsEntry("preemption", "never");
        assertThat(p.get(2).settings()).containsEntry("preemption", "fair").containsEntry("aging-coefficient", "0");
        assertThat(p.get(6).settings()).containsEntry("aging-coefficient", "1").containsEntry("preemption", "never");
        assertThat(p.get(11).label()).isEqualTo("wdrf [aging-coefficient=1 preemption=allow]");
        assertThat(p.stream().map(Sweep.Point::index).toList()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        // an explicit policy axis keeps its place and replaces --policies
        List<Sweep.Point> q = Sweep.points(List.of(Sweep.parse("policy=drf,wdrf"), Sweep.parse("min-delta=0,9")),
                List.of("fifo"));
        assertThat(q.stream().map(Sweep.Point::label).toList()).containsExactly("drf [min-delta=0]",
                "drf [min-delta=9]", "wdrf [min-delta=0]", "wdrf [min-delta=9]");
        assertThat(Sweep.points(List.of(), List.of("fifo")).get(0).label()).isEqualTo("fifo");
    }

    @Test
    void paretoMarkingWorkedByHand() {
        // objectives (deficit, starved, lost GPU-h), all minimised
        List<double[]> o = List.of(
                new double[]{10, 2, 0},          // A: optimal
                new double[]{8, 3, 0},           // B: optimal (lower deficit, more starved than A)
                new double[]{10, 2, 5},          // C: dominated by A (more lost work)
                new double[]{12, 3, 1},          // D: dominated by A and by B
                new double[]{10, 2, 0},          // E: equal to A, so neither dominates: optimal
                new double[]{Double.NaN, 0, 0},  // F: NaN deficit is the worst, but nobody has 0 starved: optimal
                new double[]{Double.NaN, 1, 0}); // G: dominated by F
        assertThat(Sweep.pareto(o)).containsExactly(true, true, false, false, true, true, false);
        assertThat(Sweep.pareto(List.of())).isEmpty();
        assertThat(Sweep.pareto(List.<double[]>of(new double[]{1, 1, 1}))).containsExactly(true);
    }

    @Test
    void rowsCsvAndHtmlCarryTheMarks() {
        Sweep.Point a = new Sweep.Point(0, Map.of("policy", "fifo"));
        Sweep.Point b = new Sweep.Point(1, Map.of("policy", "wdrf"));
        List<Sweep.Row> rows = Sweep.markPareto(List.of(
                new Sweep.Row(a, 5, 0.9, 3, 60, 600, 900, 30, 0, 0, false),
                new Sweep.Row(b, 6, 0.8, 3, 60, 600, 900, 30, 2, 1.5, false)));
        assertThat(rows.get(0).pareto()).isTrue();
        assertThat(rows.get(1).pareto()).isFalse();
        String csv = Sweep.csv(rows);
        assertThat(csv.lines().toList()).hasSize(3);
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("run,policy,fair_share_deficit_gpu_h").endsWith(",pareto");
        assertThat(csv).contains("0,fifo,5.00000,").contains("\n1,wdrf,6.00000,");
        assertThat(csv.lines().skip(1).map(l -> l.substring(l.lastIndexOf(',') + 1)).toList()).containsExactly("true", "false");
        String html = Sweep.html(rows, 86400);
        assertThat(html).contains("<h2>Sweep: fairness vs starvation vs lost work</h2>").contains("★")
                .contains("wait &gt; 24.0 h");
        assertThat(Sweep.insertInto("<body><h2>Summary</h2></body>", "<X>")).isEqualTo("<body><X><h2>Summary</h2></body>");
    }

    @Test
    void resultsDoNotDependOnTheThreadCountAndMatchSingleReplays() {
        Trace trace = Traces.synthetic(42, 120, 3, 16, 1.1);
        List<Sweep.Point> points = Sweep.points(List.of(Sweep.parse("aging-coefficient=0,4"),
                Sweep.parse("within-cluster-queue=Never,LowerPriority")), List.of("fifo", "wdrf"));
        List<PolicyRun> one = Sweep.run(trace, points, SweepTest::options, 1);
        List<PolicyRun> four = Sweep.run(trace, points, SweepTest::options, 4);
        assertThat(Sweep.csv(Sweep.rows(points, four))).isEqualTo(Sweep.csv(Sweep.rows(points, one)));
        assertThat(Report.jobsCsv(trace, four)).isEqualTo(Report.jobsCsv(trace, one));
        assertThat(four.stream().map(PolicyRun::policy).toList()).containsExactlyElementsOf(
                points.stream().map(Sweep.Point::label).toList());
        // each point ran with its own settings: the same as a single replay with those options
        for (int i : new int[]{1, 7}) {
            PolicyRun single = Simulator.run(trace, points.get(i).policy(), options(points.get(i).settings()),
                    ProgressListener.NONE);
            assertThat(Report.jobsCsv(trace, List.of(Sweep.relabel(single, points.get(i).label()))))
                    .isEqualTo(Report.jobsCsv(trace, List.of(four.get(i))));
        }
        List<Sweep.Row> rows = Sweep.rows(points, one);
        assertThat(rows).anyMatch(Sweep.Row::pareto);
        List<Boolean> marks = new ArrayList<>();
        rows.forEach(r -> marks.add(r.pareto()));
        boolean[] expected = Sweep.pareto(rows.stream().map(Sweep.Row::objectives).toList());
        for (int i = 0; i < expected.length; i++) {
            assertThat(marks.get(i)).isEqualTo(expected[i]);
        }
    }

    private static SimOptions options(Map<String, String> s) {
        return SimulateCommand.simOptions(SimulateCommand.overlay(Map.of(), s));
    }

    @Test
    void commandLineWritesSweepCsvAndParetoSection() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = SimulateCommand.run(new String[]{"--trace", "synthetic", "--jobs", "80", "--gpus", "8",
            "--policies", "fifo,wdrf", "--sweep", "aging-coefficient=0,2", "--sweep=min-delta=0,50", "--threads", "2",
            "--out", dir.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("sweep.csv"));
        assertThat(csv).hasSize(9);
        assertThat(csv.get(0)).startsWith("run,aging-coefficient,min-delta,policy,");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Sweep: fairness vs starvation")
                .contains("wdrf [aging-coefficient=2 min-delta=50]");
        ByteArrayOutputStream e2 = new ByteArrayOutputStream();
        assertThat(SimulateCommand.run(new String[]{"--trace", "synthetic", "--sweep", "jobs=1,2"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(e2, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(e2.toString(StandardCharsets.UTF_8)).contains("'jobs' cannot be swept");
        ByteArrayOutputStream e3 = new ByteArrayOutputStream();
        assertThat(SimulateCommand.run(new String[]{"--trace", "synthetic", "--sweep", "preemption=never,sometimes"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(e3, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(e3.toString(StandardCharsets.UTF_8)).contains("sometimes");
        assertThat(Duration.ofSeconds(1)).isPositive();
    }
}
