package io.wdrf.sim;

import io.wdrf.api.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Loader tests on tiny files, including malformed rows. */
class TracesTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void phillyRowsAreSortedRelativeAndMalformedRowsAreCountedWithTheirLine() throws IOException {
        Path f = write("philly.csv", """
                timestamp,duration,num_gpus,gpu_time,cluster
                2017-10-09 07:01:55,66.0,1,66.0,11cb48
                2017-10-09 06:13:03,2951.0,4,11804.0,6214e9
                2017-10-09 06:13:03,-5,1,1,6214e9
                not-a-time,10,1,10,6214e9
                2017-10-09 06:14:00,10,two,10,6214e9
                2017-10-09 06:15:00,10,1,10
                2017-10-09 06:16:00,10,128,1280,6214e9
                2017-10-09 06:17:00,10,1,10,
                """);
        write("philly_vc.csv", "vc,node num\n6214e9,64\n11cb48,16\nbad,x\n");
        Trace t = Traces.philly(f, LoadOptions.defaults().withGpus(64));
        assertThat(t.jobs()).hasSize(2);
        SimJob first = t.jobs().get(0);
        assertThat(first.team()).isEqualTo("vc-6214e9");
        assertThat(first.arrivalMillis()).isZero();
        assertThat(first.durationMillis()).isEqualTo(2_951_000);
        assertThat(first.requests()).containsEntry("nvidia.com/gpu", "4");
        assertThat(first.name()).isEqualTo("job-000003"); // named by its line
        SimJob second = t.jobs().get(1);
        assertThat(second.arrivalMillis()).isEqualTo((48 * 60 + 52) * 1000L);
        assertThat(t.skipped()).isEqualTo(7);
        assertThat(t.errors()).containsExactly(
                "philly.csv:7: expected 5 fields, found 4",
                "philly.csv:4: duration: '-5' must be a positive number of seconds",
                "philly.csv:5: timestamp: 'not-a-time' is not yyyy-MM-dd HH:mm:ss",
                "philly.csv:6: num_gpus: 'two' is not an integer",
                "philly.csv:8: num_gpus: job needs 128 GPUs, the cluster has 64 (--gpus)",
                "philly.csv:9: cluster: '' is not a virtual-cluster id",
                "philly_vc.csv:4: node num: 'x' is not an integer");
        assertThat(t.cluster().teamWeights()).containsEntry("vc-6214e9", 4.0).containsEntry("vc-11cb48", 1.0);
        assertThat(t.cluster().gpuCapacity()).isEqualTo(64.0);
    }

    @Test
    void phillyCompressionLimitAndEqualWeights() throws IOException {
        Path f = write("philly.csv", """
                timestamp,duration,num_gpus,gpu_time,cluster
                2017-10-09 00:00:00,10,1,10,aa
                2017-10-09 00:01:40,10,1,10,bb
                2017-10-09 00:03:20,10,1,10,aa
                """);
        write("philly_vc.csv", "vc,node num\naa,64\nbb,16\n");
        LoadOptions o = new LoadOptions(8, null, 2.0, 2, 2, "equal", 1);
        Trace t = Traces.philly(f, o);
        assertThat(t.jobs()).extracting(SimJob::arrivalMillis).containsExactly(0L, 50_000L);
        assertThat(t.cluster().teamWeights()).isEmpty();
    }

    /**
     * The Philly row checks read by hand agree with the formatter, the regular expression and String.format they
     * replace: valid timestamps, SMART-resolved ones (day 31 of a 30-day month, February 29 of a common year), hour 24,
     * malformed ones; virtual-cluster ids of every length and character class; zero-padded job names.
     */
    @Test
    void phillyRowChecksAgreeWithTheFormatterTheRegexAndStringFormat() {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss",
                java.util.Locale.ROOT);
        java.util.List<String> times = new java.util.ArrayList<>(java.util.List.of("2017-10-09 07:01:55",
                "2017-09-31 00:00:00", "2017-02-29 12:00:00", "2016-02-29 23:59:59", "2017-10-09 24:00:00",
                "2017-13-01 00:00:00", "2017-00-10 00:00:00", "2017-10-00 00:00:00", "2017-10-09 07:60:00",
                "2017-10-09 07:01:60", "0000-01-01 00:00:00", "0001-01-01 00:00:00", "9999-12-31 23:59:59",
                "2017-10-09T07:01:55", "2017-10-9 07:01:55", "+2017-10-09 07:01:55", "2017-1a-09 07:01:55",
                "2017-10-09 07:01:55 ", "not-a-time", ""));
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 20_000; i++) {
            times.add(String.format(java.util.Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", rnd.nextInt(10_000),
                    rnd.nextInt(14), rnd.nextInt(33), rnd.nextInt(26), rnd.nextInt(62), rnd.nextInt(62)));
        }
        for (String t : times) {
            Object expected;
            try {
                expected = java.time.LocalDateTime.parse(t, f).toEpochSecond(java.time.ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException e) {
                expected = "error";
            }
            Object actual;
            try {
                actual = Traces.phillyTime(t);
            } catch (java.time.format.DateTimeParseException e) {
                actual = "error";
            }
            assertThat(actual).as(t).isEqualTo(expected);
        }
        String chars = "aZ09_.-/ é,";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder vc = new StringBuilder();
            for (int n = rnd.nextInt(44); n > 0; n--) {
                vc.append(chars.charAt(rnd.nextInt(rnd.nextInt(8) == 0 ? chars.length() : 7)));
            }
            String v = vc.toString();
            assertThat(Traces.virtualClusterId(v)).as(v).isEqualTo(v.matches("[A-Za-z0-9_.-]{1,40}"));
        }
        for (long n : new long[] {0, 1, 9, 12_345, 999_999, 1_000_000, 123_456_789_012L}) {
            assertThat(Traces.zeroPadded("job-", n, 6)).isEqualTo(String.format(java.util.Locale.ROOT, "job-%06d", n));
        }
    }

    @Test
    void missingColumnOrFileIsAClearError() throws IOException {
        Path f = write("philly.csv", "timestamp,duration,gpus,cluster\n");
        assertThatThrownBy(() -> Traces.philly(f, LoadOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing column 'num_gpus'");
        assertThatThrownBy(() -> Traces.philly(dir.resolve("nope.csv"), LoadOptions.defaults()))
                .hasMessageContaining("file not found");
    }

    @Test
    void alibabaPodsBecomeHamiRequestsAndTeamsFollowTheHashRule() throws IOException {
        write("openb_node_list_gpu_node.csv", """
                sn,cpu_milli,memory_mib,gpu,model
                node-a,32000,131072,2,V100M32
                node-b,64000,262144,4,T4
                node-c,16000,65536,x,T4
                node-d,96000,393216,8,P100
                """);
        Path pods = write("openb_pod_list_default.csv", """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                pod-frac,6000,12288,1,460,,LS,Running,100,1100,200
                pod-full,12000,24576,2,1000,,BE,Running,50,550,
                pod-cpu,4000,8192,0,,,Burstable,Running,10,20,0
                pod-bad-milli,1000,1024,1,0,,LS,Running,10,20,0
                pod-neg,1000,1024,1,500,,LS,Running,10,5,0
                pod-huge,1000,1024,16,1000,,LS,Running,10,50,0
                Bad_Name,1000,1024,1,500,,LS,Running,10,50,0
                pod-short,1000,1024
                """);
        Trace t = Traces.alibaba(pods, new LoadOptions(null, 2, 1.0, 0, 3, "trace", 1));
        // 2 nodes: rows 0 and floor(1*3/2)=1 of the 3 valid rows -> node-a, node-b
        assertThat(t.cluster().nodes()).extracting(Node::name).containsExactly("node-a", "node-b");
        assertThat(t.cluster().capacity()).containsEntry("cpu", 96.0).containsEntry("hami.io/gpu", 6.0);
        assertThat(t.cluster().quota()).containsEntry("nvidia.com/total-gpucores", "600");
        assertThat(t.cluster().nodes().get(0).annotations().get("hami.io/node-nvidia-register"))
                .contains("\"devmem\":32768").contains("\"health\":true");
        assertThat(t.jobs()).extracting(SimJob::name).containsExactly("pod-cpu", "pod-full", "pod-frac");
        SimJob frac = t.jobs().get(2);
        assertThat(frac.arrivalMillis()).isEqualTo(90_000); // creation 100 - earliest creation 10
        assertThat(frac.durationMillis()).isEqualTo(900_000); // deletion - scheduled
        assertThat(frac.requests()).containsEntry("nvidia.com/gpu", "1").containsEntry("nvidia.com/gpumem-percentage", "46")
                .containsEntry("nvidia.com/gpucores", "46").containsEntry("nvidia.com/total-gpucores", "46")
                .containsEntry("cpu", "6000m").containsEntry("memory", "12288Mi");
        assertThat(frac.uses("hami.io/gpu")).isCloseTo(0.46, within(1e-12));
        SimJob full = t.jobs().get(1);
        assertThat(full.durationMillis()).isEqualTo(500_000); // not scheduled: deletion - creation
        assertThat(full.requests()).doesNotContainKey("nvidia.com/gpumem-percentage")
                .containsEntry("nvidia.com/total-gpucores", "200");
        assertThat(full.uses("hami.io/gpu")).isEqualTo(2.0);
        assertThat(t.jobs().get(0).requests()).doesNotContainKey("nvidia.com/gpu");
        for (SimJob j : t.jobs()) {
            String qos = j.name().equals("pod-cpu") ? "burstable" : j.name().equals("pod-full") ? "be" : "ls";
            assertThat(j.team()).isEqualTo(qos + "-" + Integer.remainderUnsigned(Traces.fnv1a(j.name()), 3));
        }
        assertThat(t.skipped()).isEqualTo(6);
        assertThat(t.errors()).contains(
                "openb_node_list_gpu_node.csv:4: gpu: 'x' is not an integer",
                "openb_pod_list_default.csv:9: expected 11 fields, found 3",
                "openb_pod_list_default.csv:5: gpu_milli: 0 must be in 1..1000 when num_gpu is 1",
                "openb_pod_list_default.csv:6: duration: deletion_time 5 is not after creation_time 10",
                "openb_pod_list_default.csv:8: name: 'Bad_Name' is not a valid object name");
        assertThat(t.errors()).anyMatch(e -> e.startsWith("openb_pod_list_default.csv:7: pod needs more than the whole"));
    }

    @Test
    void fnv1aMatchesTheReferenceVectors() {
        assertThat(Traces.fnv1a("")).isEqualTo(0x811c9dc5);
        assertThat(Traces.fnv1a("a")).isEqualTo(0xe40c292c);
        assertThat(Traces.fnv1a("foobar")).isEqualTo(0xbf9cf968);
    }

    @Test
    void fractionalGpuPodsShareACardEndToEnd() throws IOException {
        write("openb_node_list_gpu_node.csv", "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,1,T4\n");
        Path pods = write("pods.csv", """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                half-1,1000,1024,1,500,,LS,Running,0,100,0
                half-2,1000,1024,1,500,,LS,Running,0,100,0
                whole,1000,1024,1,1000,,LS,Running,0,100,0
                """);
        Trace t = Traces.alibaba(pods, new LoadOptions(null, null, 1.0, 0, 1, "trace", 1)); // one team per QoS
        PolicyRun r = Simulator.run(t, "wdrf", SimOptions.defaults(), ProgressListener.NONE);
        // the two halves share the card 0..100 s, the whole card waits until 100 s
        assertThat(r.waits()).containsExactly(0.0, 0.0, 100.0);
        assertThat(r.allocationRate()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void scenarioJobsRepeatAndMalformedJobsAreSkipped() throws IOException {
        Path f = write("s.yaml", """
                name: demo
                cluster:
                  quota: {nvidia.com/gpu: 4, cpu: "8"}
                teams: {team-a: 2, team-b: 1}
                jobs:
                  - {name: a, team: team-a, arrival: 0s, duration: 100s, requests: {nvidia.com/gpu: 4}, count: 3, every: 1m}
                  - {name: b, team: team-b, arrival: 1.5s, duration: 2h, requests: {nvidia.com/gpu: 1, cpu: 500m}, class: urgent}
                  - {name: c, team: team-b, duration: 10x, requests: {nvidia.com/gpu: 1}}
                  - {name: d, team: team-b, duration: 10s, requests: {nvidia.com/gpu: 9}}
                  - {name: E, team: team-b, duration: 10s, requests: {nvidia.com/gpu: 1}}
                  - just a string
                """);
        Trace t = Traces.scenario(f, LoadOptions.defaults());
        assertThat(t.name()).isEqualTo("demo");
        assertThat(t.jobs()).extracting(SimJob::name).containsExactly("a-1", "b", "a-2", "a-3");
        assertThat(t.jobs()).extracting(SimJob::arrivalMillis).containsExactly(0L, 1500L, 60_000L, 120_000L);
        SimJob b = t.jobs().get(1);
        assertThat(b.durationMillis()).isEqualTo(7_200_000);
        assertThat(b.workloadClass()).isEqualTo("urgent");
        assertThat(b.uses("cpu")).isEqualTo(0.5);
        assertThat(t.cluster().teamWeights()).isEqualTo(Map.of("team-a", 2.0, "team-b", 1.0));
        assertThat(t.errors()).containsExactly(
                "s.yaml: jobs[2]: duration: '10x' is not a duration (e.g. 90s, 5m, 1.5h)",
                "s.yaml: jobs[3]: requests.nvidia.com/gpu: 9 exceeds the cluster quota 4",
                "s.yaml: jobs[4]: 'E' is not a valid lower-case object name",
                "s.yaml: jobs[5]: expected a mapping");
    }

    @Test
    void badScenarioClusterIsAnError() throws IOException {
        Path f = write("s.yaml", "cluster: {quota: {cpu: 4}}\njobs: []\n");
        assertThatThrownBy(() -> Traces.scenario(f, LoadOptions.defaults()))
                .hasMessageContaining("cluster.gpuResource: 'nvidia.com/gpu' has no quota");
        Path g = write("g.yaml", "jobs: [\n");
        assertThatThrownBy(() -> Traces.scenario(g, LoadOptions.defaults())).hasMessageContaining("not valid YAML");
    }
}
