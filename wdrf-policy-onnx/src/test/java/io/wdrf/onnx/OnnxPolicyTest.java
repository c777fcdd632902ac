package io.wdrf.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.KueueDemandModel;
import io.wdrf.engine.Policies;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.engine.ManualClock;
import io.wdrf.learned.Features;
import io.wdrf.learned.LearnedWeights;
import io.wdrf.learned.Ranking;
import io.wdrf.learned.Skrueue67;
import io.wdrf.learned.TinyOnnx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The onnx plugin against models written by {@link TinyOnnx} (no Python): exactness, contract, fallback. */
class OnnxPolicyTest {

    static PolicyConfig config;
    static PolicyContext context;

    @TempDir
    Path dir;

    @BeforeAll
    static void cluster() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue(new ClusterQueueInfo("cq", null, List.of(ResourceQuota.of("default", "nvidia.com/gpu", "16"),
                        ResourceQuota.of("default", "cpu", "64")), ClusterQueueInfo.BEST_EFFORT_FIFO,
                        ClusterQueueInfo.NEVER, ClusterQueueInfo.NEVER, ClusterQueueInfo.NEVER, 1.0));
        String[] teams = {"a", "b", "c"};
        for (String t : teams) {
            b.namespace(t).localQueue(t, "lq", "cq");
        }
        InMemoryCluster cluster = b.build();
        Random r = new Random(7);
        for (int i = 0; i < 30; i++) {
            String team = teams[i % 3];
            Workload.Builder w = Workload.builder(team, "w" + i, clock.instant()).queueName("lq")
                    .podSets(List.of(PodSet.of("main", 1, Map.of("nvidia.com/gpu", Integer.toString(1 + r.nextInt(4)),
                            "cpu", Integer.toString(1 + r.nextInt(8))))));
            if (i % 7 == 3) {
                w.labels(Map.of("wdrf.x-k8s.io/priority-override", "approved"));
            }
            if (i % 2 == 0) {
                w.annotations(Map.of(Features.EXPECTED_RUNTIME, Integer.toString(60 + 97 * i)));
            }
            cluster.submit(w.build());
            clock.advance(Duration.ofMinutes(7 + r.nextInt(20)));
            if (i == 5) {
                cluster.admissionCycle();
            }
        }
        config = PolicyConfig.builder().tenantWeights(Map.of("a", 2.0)).build();
        WdrfEngine engine = WdrfEngine.builder().config(config).policy("wdrf").demandModel(new KueueDemandModel())
                .clock(clock).build();
        context = engine.evaluate(cluster.snapshot()).context();
        assertThat(context.pending()).hasSizeGreaterThan(20);
    }

    Path write(byte[] model, String json) throws Exception {
        Path m = dir.resolve("model.onnx");
        Files.write(m, model);
        Files.writeString(dir.resolve("model.json"), json.replace("SHA", ModelSpec.sha256(model)));
        return m;
    }

    static String pointwiseJson(LearnedWeights w) {
        return String.format(Locale.ROOT, "{\"layout\":\"pointwise\",\"layoutVersion\":1,\"input\":\"features\","
                + "\"output\":\"score\",\"inputWidth\":10,\"scoreRange\":[%s,%s],\"sha256\":\"SHA\"}", w.min(), w.max());
    }

    static PriorityPolicy onnx(PolicyConfig config, Path model) {
        return Policies.create("onnx", config.toBuilder().options(Map.of(OnnxPolicyProvider.MODEL, model.toString())).build());
    }

    static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void onnxRuntimeMatchesAPlainJavaForwardPass() throws Exception {
        Random r = new Random(3);
        int in = 10;
        int out = 3;
        float[] w = new float[in * out];
        float[] b = new float[out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        byte[] model = TinyOnnx.linear("x", "y", in, out, w, b);
        List<double[]> rows = Features.pointwise(context);
        float[] x = new float[rows.size() * in];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(floats(rows.get(i)), 0, x, i * in, in);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{rows.size(), in});
             OrtSession.Result res = s.run(Map.of("x", t))) {
            float[][] y = (float[][]) res.get(0).getValue();
            assertThat(y).hasNumberOfRows(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                for (int j = 0; j < out; j++) {
                    double expect = b[j];
                    for (int k = 0; k < in; k++) {
                        expect += (double) x[i * in + k] * w[k * out + j];
                    }
                    assertThat((double) y[i][j]).isCloseTo(expect, org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void aPointwiseModelOfLearnedWeightsReproducesTheLearnedPolicyOrderExactly() throws Exception {
        LearnedWeights w = LearnedWeights.parse("fairness=1.3,age=0.7,gpu=-0.8,runtime=-0.5,share=-0.4,entitlement=0.9");
        byte[] model = TinyOnnx.linear("features", "score", 10, 1, floats(w.toArray()), new float[]{0f});
        Path m = write(model, pointwiseJson(w));
        PolicyConfig learnedConfig = config.toBuilder().options(Map.of(LearnedWeights.OPTION, w.format())).build();
        PriorityPlan learned = Policies.create("learned", learnedConfig).evaluate(context);
        PriorityPlan fromOnnx = onnx(config, m).evaluate(context);
        assertThat(ids(fromOnnx)).isEqualTo(ids(learned));
        for (int i = 0; i < learned.decisions().size(); i++) {
            assertThat(Math.abs(fromOnnx.decisions().get(i).priority() - learned.decisions().get(i).priority()))
                    .isLessThanOrEqualTo(1); // float32 inference vs double: at most one point of rounding
        }
        // the order is not trivial: it differs from wdrf's
        assertThat(ids(fromOnnx)).isNotEqualTo(ids(Policies.create("wdrf", config).evaluate(context)));
        String sha = ModelSpec.sha256(model);
        assertThat(fromOnnx.decisions()).allSatisfy(d -> assertThat(d.explanation().summary()).contains("sha256=" + sha));
    }

    @Test
    void skrueue67RanksTheFirstTenWithinTheirClassAndLeavesTheRestAtWdrf() throws Exception {
        // slot score = wait of the slot (dimension 7 + 6k + 3): longest waiter first
        int width = Skrueue67.WIDTH;
        float[] w = new float[width * 10];
        for (int k = 0; k < 10; k++) {
            w[(7 + 6 * k + 3) * 10 + k] = 1f;
        }
        byte[] model = TinyOnnx.linear("obs", "q", width, 10, w, new float[10]);
        Path m = write(model, "{\"layout\":\"skrueue-67\",\"layoutVersion\":1,\"input\":\"obs\",\"output\":\"q\","
                + "\"inputWidth\":79,\"sha256\":\"SHA\"}");
        PriorityPlan base = Policies.create("wdrf", config).evaluate(context);
        PriorityPlan ranked = onnx(config, m).evaluate(context);
        List<WorkloadId> head = Ranking.head(base, 10);
        double[] scores = new double[head.size()];
        Map<WorkloadId, String> classes = new java.util.HashMap<>();
        for (var p : context.pending()) {
            classes.put(p.id(), p.workloadClass());
            int slot = head.indexOf(p.id());
            if (slot >= 0) {
                scores[slot] = Math.min(1.0, (double) p.waited().toMillis() / config.maxAgingTime().toMillis());
            }
        }
        PriorityPlan expected = Ranking.rerank(base, head, scores, classes, "hand", "");
        assertThat(ids(ranked)).isEqualTo(ids(expected));
        for (PriorityDecision d : ranked.decisions()) {
            assertThat(d.priority()).isEqualTo(expected.find(d.workloadId()).orElseThrow().priority());
            if (!head.contains(d.workloadId())) {
                assertThat(d.priority()).isEqualTo(base.find(d.workloadId()).orElseThrow().priority());
            }
        }
        assertThat(ids(ranked).subList(0, 10)).isNotEqualTo(head); // the model did re-order
    }

    @Test
    void contractMismatchesAreRefusedAtStartUp() throws Exception {
        LearnedWeights w = LearnedWeights.wdrfEquivalent(1);
        byte[] model = TinyOnnx.linear("features", "score", 10, 1, floats(w.toArray()), new float[]{0f});
        Path m = write(model, pointwiseJson(w).replace("SHA", "0".repeat(64)));
        assertThatThrownBy(() -> onnx(config, m)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256");
        write(model, pointwiseJson(w).replace("\"layoutVersion\":1", "\"layoutVersion\":2"));
        assertThatThrownBy(() -> onnx(config, m)).hasMessageContaining("layoutVersion 2");
        write(model, pointwiseJson(w).replace("\"input\":\"features\"", "\"input\":\"obs\""));
        assertThatThrownBy(() -> onnx(config, m)).hasMessageContaining("input 'obs'");
        write(model, pointwiseJson(w).replace("\"output\":\"score\"", "\"output\":\"q\""));
        assertThatThrownBy(() -> onnx(config, m)).hasMessageContaining("output 'q'");
        write(model, pointwiseJson(w).replace("pointwise", "skrueue-67").replace("\"inputWidth\":10", "\"inputWidth\":67"));
        assertThatThrownBy(() -> onnx(config, m)).hasMessageContaining("shape");
        write(model, pointwiseJson(w).replace("pointwise", "other"));
        assertThatThrownBy(() -> onnx(config, m)).hasMessageContaining("layout 'other'");
        assertThatThrownBy(() -> onnx(config, dir.resolve("absent.onnx"))).hasMessageContaining("cannot read");
    }

    @Test
    void nanOutputAndUnloadableModelsFallBackToWdrfAndSaySo() throws Exception {
        float[] w = new float[10];
        w[0] = Float.NaN;
        byte[] nan = TinyOnnx.linear("features", "score", 10, 1, w, new float[]{0f});
        Path m = write(nan, "{\"layout\":\"pointwise\",\"layoutVersion\":1,\"input\":\"features\",\"output\":\"score\","
                + "\"inputWidth\":10,\"sha256\":\"SHA\"}");
        PriorityPlan base = Policies.create("wdrf", config).evaluate(context);
        OnnxPolicy p = (OnnxPolicy) onnx(config, m);
        PriorityPlan plan = p.evaluate(context);
        assertThat(prioritiesById(plan)).isEqualTo(prioritiesById(base));
        assertThat(plan.decisions()).allSatisfy(d -> assertThat(d.explanation().notes()).anySatisfy(n ->
                assertThat(n).contains("onnx fallback to wdrf").contains("NaN").contains(ModelSpec.sha256(nan))));
        assertThat(p.getFallbacks()).isEqualTo(1);
        assertThat(p.getInferences()).isZero();

        byte[] garbage = "not an onnx model".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path g = write(garbage, "{\"layout\":\"pointwise\",\"layoutVersion\":1,\"input\":\"features\",\"output\":\"score\","
                + "\"inputWidth\":10,\"sha256\":\"SHA\"}");
        OnnxPolicy broken = (OnnxPolicy) onnx(config, g);
        PriorityPlan fb = broken.evaluate(context);
        assertThat(prioritiesById(fb)).isEqualTo(prioritiesById(base));
        assertThat(fb.decisions().get(0).explanation().notes()).anySatisfy(n -> assertThat(n).contains("failed to load"));
        assertThat(broken.getLastFallbackReason()).contains("failed to load");
    }

    static List<WorkloadId> ids(PriorityPlan plan) {
        List<WorkloadId> out = new ArrayList<>();
        for (PriorityDecision d : plan.decisions()) {
            out.add(d.workloadId());
        }
        return out;
    }

    static Map<WorkloadId, Integer> prioritiesById(PriorityPlan plan) {
        Map<WorkloadId, Integer> m = new java.util.TreeMap<>();
        plan.decisions().forEach(d -> m.put(d.workloadId(), d.priority()));
        return m;
    }
}
