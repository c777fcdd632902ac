package io.wdrf.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The command line: option errors, outputs, and (when the shared traces exist) a short Philly smoke replay. */
class SimulateCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badOptionsExitWithTwoAndSayWhy() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("--trace is required");
        err.reset();
        assertThat(run("--trace", "nope")).isEqualTo(2);
        assertThat(err()).contains("'nope' is not one of philly, alibaba, scenario, synthetic");
        err.reset();
        assertThat(run("--trace", "synthetic", "--policies", "fifo,nosuch")).isEqualTo(2);
        assertThat(err()).contains("no policy named 'nosuch'");
        err.reset();
        assertThat(run("--trace", "synthetic", "--compress", "0")).isEqualTo(2);
        assertThat(err()).contains("--compress: 0.0 must be a positive number");
        err.reset();
        assertThat(run("--trace", "synthetic", "--loop-interval", "soon")).isEqualTo(2);
        assertThat(err()).contains("--loop-interval: 'soon' is not a duration");
        err.reset();
        assertThat(run("--trace", "synthetic", "--bogus", "1")).isEqualTo(2);
        assertThat(err()).contains("unknown option --bogus");
        err.reset();
        assertThat(run("--trace", "scenario")).isEqualTo(2);
        assertThat(err()).contains("needs --file");
        err.reset();
        assertThat(run("--trace", "philly", "--file", dir.resolve("missing.csv").toString())).isEqualTo(2);
        assertThat(err()).contains("missing.csv: file not found");
        err.reset();
        assertThat(run("--trace", "synthetic", "--gpus")).isEqualTo(2);
        assertThat(err()).contains("--gpus needs a value");
    }

    @Test
    void scenarioRunWritesTableCsvJsonAndSelfContainedHtml() throws IOException {
        Path s = dir.resolve("s.yaml");
        Files.writeString(s, """
                name: two-teams
                cluster: {quota: {nvidia.com/gpu: 4}}
                jobs:
                  - {name: a, team: team-a, arrival: 0s, duration: 100s, requests: {nvidia.com/gpu: 4}, count: 10}
                  - {name: b, team: team-b, arrival: 1s, duration: 100s, requests: {nvidia.com/gpu: 1}}
                """);
        Path o = dir.resolve("out");
        int code = run("--trace", "scenario", "--file", s.toString(), "--policies", "fifo,drf", "--out", o.toString());
        assertThat(code).as(err()).isZero();
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("policy").contains("fifo").contains("drf").contains("mean wait");
        assertThat(Files.readString(o.resolve("summary.csv"))).startsWith("policy,team,weight,jobs")
                .contains("fifo,team-b,1,1,0,999,").contains("drf,team-b,1,1,0,99,");
        String json = Files.readString(o.resolve("results.json"));
        assertThat(json).contains("\"policy\": \"fifo\"").contains("\"team-b\": {\"jobs\": 1");
        String html = Files.readString(o.resolve("report.html"));
        assertThat(html).contains("<svg").contains("<polyline").doesNotContain("<script").doesNotContain("http://cdn")
                .doesNotContain("<link");
        assertThat(Files.readString(o.resolve("series.csv"))).startsWith("policy,bucket_start_s,allocation_rate");
        assertThat(Files.readString(o.resolve("summary.md"))).startsWith("|policy|");
        assertThat(err()).contains("fifo: 100%");
    }

    @Test
    void phillySmokeReplayOfTheFirst2000Jobs() {
        Optional<Path> traces = TraceLocator.find();
        assumeTrue(traces.isPresent() && Files.isRegularFile(TraceLocator.philly(traces.get())),
                "shared Philly trace not found (set -Dwdrf.traces or WDRF_TRACES)");
        int code = run("--trace", "philly", "--trace-dir", traces.get().toString(), "--limit", "2000",
                "--policies", "fifo,wdrf");
        assertThat(code).as(err()).isZero();
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("fifo").contains("wdrf").contains("2000");
    }

    @Test
    void theCommandLineGrammarOfTheOldParserHoldsOnPicocli() throws IOException {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: simulate --trace").contains("--reserve");
        out.reset();
        assertThat(run("-h")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: simulate --trace");
        // help seen before a bad argument wins; a bad argument before help does not
        assertThat(run("--help", "--bogus", "1")).isZero();
        assertThat(run("--bogus", "1", "--help")).isEqualTo(2);
        assertThat(err()).contains("unknown option --bogus");
        err.reset();
        assertThat(run("--trace", "synthetic", "stray")).isEqualTo(2);
        assertThat(err()).contains("error: unexpected argument 'stray'").contains("run with --help for the options");
        err.reset();
        assertThat(run("--trace", "synthetic", "--bogus=1")).isEqualTo(2);
        assertThat(err()).contains("unknown option --bogus").doesNotContain("=1");
        err.reset();
        assertThat(run("--trace", "synthetic", "--limit")).isEqualTo(2);
        assertThat(err()).contains("option --limit needs a value");
        err.reset();
        assertThat(run("--trace", "synthetic", "--reserve", "maybe")).isEqualTo(2);
        assertThat(err()).contains("--reserve: 'maybe' is not true or false");
        err.reset();

        // --key=value, a repeated option (last wins, first position kept), a negative number as a value
        Path o = dir.resolve("grammar");
        int code = run("--trace=synthetic", "--jobs", "40", "--limit", "5", "--limit=20", "--seed", "-3",
                "--policies", "fifo", "--out", o.toString());
        assertThat(code).as(err()).isZero();
        String json = Files.readString(o.resolve("results.json"));
        assertThat(json).contains("\"jobs\": 20,").contains("\"--limit\": \"20\"").contains("\"--seed\": \"-3\"");
        assertThat(json.indexOf("\"--trace\"")).isLessThan(json.indexOf("\"--jobs\""));
        assertThat(json.indexOf("\"--limit\"")).isLessThan(json.indexOf("\"--seed\""));
    }

    @Test
    void writeOrderIsTheControllersWriteOrderAndChangesOnlyTheWrites() {
        assertThat(SimulateCommand.simOptions(java.util.Map.of()).writeOrdering())
                .isEqualTo(io.wdrf.engine.WriteOrdering.PLAN);
        assertThat(SimulateCommand.simOptions(java.util.Map.of("write-order", "order-only")).writeOrdering())
                .isEqualTo(io.wdrf.engine.WriteOrdering.ORDER_ONLY);
        assertThat(SimulateCommand.simOptions(java.util.Map.of("write-order", "admission-first")).writeOrdering())
                .isEqualTo(io.wdrf.engine.WriteOrdering.ADMISSION_FIRST);
        assertThat(run("--trace", "synthetic", "--write-order", "sometimes")).isEqualTo(2);
        assertThat(err()).contains("--write-order").contains("plan, admission-first, order-only");
        Trace t = Traces.synthetic(7, 300, 4, 16, 1.3);
        SimOptions plan = SimulateCommand.simOptions(java.util.Map.of());
        SimOptions orderOnly = SimulateCommand.simOptions(java.util.Map.of("write-order", "order-only"));
        PolicyRun a = Simulator.run(t, "wdrf", plan, ProgressListener.NONE);
        PolicyRun b = Simulator.run(t, "wdrf", orderOnly, ProgressListener.NONE);
        assertThat(b.writes()).as("order-only skips writes that change no order").isLessThan(a.writes());
    }

    @Test
    void reserveIsAFlagWithAnOptionalValue() {
        assertThat(SimulateCommand.simOptions(java.util.Map.of()).reservations()).isFalse();
        assertThat(SimulateCommand.simOptions(java.util.Map.of("reserve", "true")).reservations()).isTrue();
        assertThat(SimulateCommand.simOptions(java.util.Map.of("reserve", "false")).reservations()).isFalse();
    }

    @Test
    void reservationsBoundTheWaitOfAJobStarvedByAStreamOfSmallOnes() throws IOException {
        // 4 GPUs kept busy by 1-GPU jobs (one every 300 s, 1200 s each); the 4-GPU job never finds 4 free GPUs
        // under BestEffortFIFO until the stream ends (~41.7 h), unless a reservation gates the stream after 24 h
        Path s = dir.resolve("starve.yaml");
        Files.writeString(s, """
                name: starve
                cluster: {quota: {nvidia.com/gpu: 4}}
                jobs:
                  - {name: small, team: team-a, arrival: 0s, duration: 1200s, requests: {nvidia.com/gpu: 1}, count: 500, every: 300s}
                  - {name: big, team: team-b, arrival: 1000s, duration: 100s, requests: {nvidia.com/gpu: 4}}
                """);
        double without = bigWait(s, "plain");
        double with = bigWait(s, "reserved", "--reserve");
        assertThat(without).as("starved without reservations").isGreaterThan(40 * 3600);
        assertThat(with).as("reserved after MAX_AGING_TIME").isBetween(24 * 3600.0, 25 * 3600.0);
        // the reservation reaches the fairness table: one, for team-b, holding GPUs idle while the stream drains
        assertThat(column("reserved", "fifo,team-b,", "reservations")).isEqualTo(1.0);
        assertThat(column("reserved", "fifo,team-b,", "reserved_idle_gpu_h")).isPositive();
        assertThat(column("plain", "fifo,ALL,", "reservations")).isZero();
    }

    private double column(String run, String rowPrefix, String name) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(run).resolve("summary.csv"));
        int c = java.util.Arrays.asList(lines.get(0).split(",")).indexOf(name);
        for (String line : lines) {
            if (line.startsWith(rowPrefix)) {
                return Double.parseDouble(line.split(",", -1)[c]);
            }
        }
        throw new AssertionError("no row " + rowPrefix + " in " + run);
    }

    private double bigWait(Path scenario, String name, String... extra) throws IOException {
        Path o = dir.resolve(name);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--trace", "scenario", "--file",
                scenario.toString(), "--policies", "fifo", "--out", o.toString()));
        args.addAll(java.util.List.of(extra));
        assertThat(run(args.toArray(new String[0]))).as(err()).isZero();
        for (String line : Files.readAllLines(o.resolve("summary.csv"))) {
            if (line.startsWith("fifo,team-b,")) {
                return Double.parseDouble(line.split(",")[5]); // mean_wait_s of team-b's one job
            }
        }
        throw new AssertionError("no team-b row in " + o.resolve("summary.csv"));
    }
}
