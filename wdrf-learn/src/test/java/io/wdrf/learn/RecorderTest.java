package io.wdrf.learn;

import io.wdrf.api.WorkloadId;
import io.wdrf.sim.SimJob;
import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Trace;
import io.wdrf.sim.Traces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecorderTest {

    static final SimOptions OPTIONS = new SimOptions(Duration.ofSeconds(60), 1.0, Duration.ofHours(2), "Never", 1000, 240);

    @TempDir
    Path dir;

    static long count(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aRecordedSimulationReplaysAsTheSameTrace() throws Exception {
        Trace original = Traces.synthetic(4, 80, 3, 16, 1.2);
        Path db = dir.resolve("wdrf.db");
        Outcome recorded;
        try (Recorder r = new Recorder(db, Duration.ofDays(30))) {
            recorded = SimRecording.record(original, OPTIONS, "wdrf", Map.of(), r);
        }
        assertThat(recorded.unstarted()).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM cycles")).isGreaterThan(10);
        Trace loaded = RecordedTrace.load(db, Traces.GPU);
        assertThat(loaded.skipped()).isZero();
        long t0 = original.jobs().get(0).arrivalMillis();
        assertThat(loaded.jobs()).hasSameSizeAs(original.jobs());
        for (int i = 0; i < original.jobs().size(); i++) {
            SimJob a = original.jobs().get(i);
            SimJob b = loaded.jobs().stream().filter(j -> j.name().equals(a.name())).findFirst().orElseThrow();
            assertThat(b.team()).isEqualTo(a.team());
            assertThat(b.arrivalMillis()).isEqualTo(a.arrivalMillis() - t0);
            assertThat(b.durationMillis()).isEqualTo(a.durationMillis());
            assertThat(b.requests()).isEqualTo(a.requests());
            assertThat(b.usage()).isEqualTo(a.usage());
            assertThat(b.workloadClass()).isEqualTo(a.workloadClass());
        }
        assertThat(loaded.cluster().capacity()).isEqualTo(original.cluster().capacity());
        // replaying the loaded trace gives the recorded run's waits
        Outcome replay = Evaluator.run(loaded, OPTIONS, "wdrf", Map.of(), false);
        assertThat(replay.meanWait()).isEqualTo(recorded.meanWait());
        assertThat(replay.finished()).isEqualTo(recorded.finished());

        List<Path> csv = RecordedTrace.exportCsv(db, dir.resolve("csv"));
        assertThat(csv).extracting(p -> p.getFileName().toString()).containsExactly("jobs.csv", "cycles.csv", "capacity.csv");
        List<String> jobs = Files.readAllLines(csv.get(0));
        assertThat(jobs.get(0)).isEqualTo("namespace,name,class,requests,arrival_ms,admitted_ms,finished_ms,evictions,running_since_ms");
        assertThat(jobs).hasSize(original.jobs().size() + 1);
    }

    @Test
    void reopeningContinuesIdempotentlyAndRetentionBoundsTheSize() throws Exception {
        Path db = dir.resolve("r.db");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        WorkloadId a = new WorkloadId("ns", "a");
        try (Recorder r = new Recorder(db, Duration.ofHours(1))) {
            r.arrived(a, t, "normal", Map.of("nvidia.com/gpu", "1", "secret-looking", "2"));
            r.admitted(a, t.plusSeconds(10));
            r.flush();
        }
        try (Recorder r = new Recorder(db, Duration.ofHours(1))) { // restart: state comes back from the database
            r.arrived(a, t.plusSeconds(99), "urgent", Map.of()); // a replayed arrival keeps the first
            r.admitted(a, t.plusSeconds(20));
            r.finished(a, t.plusSeconds(70));
            r.finished(a, t.plusSeconds(80)); // idempotent
            r.flush();
        }
        assertThat(count(db, "SELECT COUNT(*) FROM jobs")).isEqualTo(1);
        assertThat(count(db, "SELECT arrival_ms FROM jobs")).isEqualTo(t.toEpochMilli());
        assertThat(count(db, "SELECT admitted_ms FROM jobs")).isEqualTo(t.plusSeconds(10).toEpochMilli());
        assertThat(count(db, "SELECT finished_ms FROM jobs")).isEqualTo(t.plusSeconds(70).toEpochMilli());
        try (Recorder r = new Recorder(db, Duration.ofHours(1))) {
            r.prune(t.plusSeconds(70).plus(Duration.ofHours(1)).toEpochMilli() + 1);
            r.flush();
        }
        assertThat(count(db, "SELECT COUNT(*) FROM jobs")).isZero();
    }

    /** A backend without events: transitions come from diffing the snapshots of successive cycles. */
    @Test
    void snapshotDiffingRecordsArrivalAdmissionEvictionAndCompletion() throws Exception {
        io.wdrf.engine.ManualClock clock = new io.wdrf.engine.ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        io.wdrf.kueue.InMemoryCluster cluster = io.wdrf.kueue.InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue("cq", io.wdrf.api.ResourceQuota.of("default", "nvidia.com/gpu", "4"))
                .namespace("a").localQueue("a", "lq", "cq").build();
        io.wdrf.engine.WdrfEngine engine = io.wdrf.engine.WdrfEngine.builder().policy("wdrf")
                .demandModel(new io.wdrf.engine.KueueDemandModel()).clock(clock).build();
        Path db = dir.resolve("diff.db");
        WorkloadId x = new WorkloadId("a", "x");
        try (Recorder r = new Recorder(db, Duration.ofDays(1))) {
            cluster.submit(io.wdrf.api.Workload.builder("a", "x", clock.instant()).queueName("lq").labels(Map.of("token", "s3cret"))
                    .podSets(List.of(io.wdrf.api.PodSet.of("main", 2, Map.of("nvidia.com/gpu", "2")))).build());
            r.cycle(engine.evaluate(cluster.snapshot()).context());          // t0: pending
            clock.advance(Duration.ofSeconds(30));
            cluster.admissionCycle();
            r.cycle(engine.evaluate(cluster.snapshot()).context());          // t0+30: admitted
            clock.advance(Duration.ofSeconds(30));
            cluster.evict(x);
            r.cycle(engine.evaluate(cluster.snapshot()).context());          // t0+60: evicted, pending again
            clock.advance(Duration.ofSeconds(30));
            cluster.admissionCycle();
            r.cycle(engine.evaluate(cluster.snapshot()).context());          // t0+90: admitted again
            clock.advance(Duration.ofSeconds(100));
            cluster.finish(x);
            cluster.delete(x);
            r.cycle(engine.evaluate(cluster.snapshot()).context());          // t0+190: gone = completed
        }
        long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        assertThat(count(db, "SELECT arrival_ms FROM jobs")).isEqualTo(t0);
        assertThat(count(db, "SELECT admitted_ms FROM jobs")).isEqualTo(t0 + 30_000);
        assertThat(count(db, "SELECT evictions FROM jobs")).isEqualTo(1);
        assertThat(count(db, "SELECT finished_ms FROM jobs")).isEqualTo(t0 + 190_000);
        assertThat(count(db, "SELECT finished_ms - running_since_ms FROM jobs")).isEqualTo(100_000);
        assertThat(count(db, "SELECT COUNT(*) FROM jobs WHERE requests = 'nvidia.com/gpu=4'")).isEqualTo(1);
        // one tenant row per cycle while the tenant has work (the last cycle has none)
        assertThat(count(db, "SELECT COUNT(*) FROM cycles")).isEqualTo(4);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT group_concat(namespace || name || class || requests) FROM jobs")) {
            rs.next();
            assertThat(rs.getString(1)).doesNotContain("s3cret").doesNotContain("token");
        }
    }

    @Test
    void recordsNoLabelsOrAnnotations() throws Exception {
        Path db = dir.resolve("s.db");
        try (Recorder r = new Recorder(db, Duration.ofDays(1))) {
            SimRecording.record(Traces.synthetic(5, 20, 2, 16, 0.5), OPTIONS, "wdrf", Map.of(), r);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT name FROM pragma_table_info('jobs')")) {
            StringBuilder cols = new StringBuilder();
            while (r.next()) {
                cols.append(r.getString(1)).append(' ');
            }
            assertThat(cols.toString()).doesNotContain("label").doesNotContain("annotation");
        }
    }
}
