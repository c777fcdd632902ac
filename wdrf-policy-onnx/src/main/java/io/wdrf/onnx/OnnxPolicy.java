package io.wdrf.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.wdrf.api.Explanation;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.TenantState;
import io.wdrf.api.WorkloadId;
import io.wdrf.learned.ClassBand;
import io.wdrf.learned.Features;
import io.wdrf.learned.Ranking;
import io.wdrf.learned.Skrueue67;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code onnx}: priorities from an ONNX model, inside the class bands, with {@code wdrf} as the fallback.
 *
 * <ul>
 *   <li>{@code pointwise}: input {@code [N, 10]} (one normalised {@link Features} row per pending workload), output
 *       {@code [N]} or {@code [N, 1]} scores; in-band position = {@code (s − lo)/(hi − lo)} with model.json's
 *       {@code scoreRange}, else {@code 1/(1 + e^−s)}; priority = {@link ClassBand#priority}.</li>
 *   <li>{@code skrueue-67}: input {@code [1, 67 | 79]} ({@link Skrueue67} over the first 10 pending by {@code wdrf}
 *       priority), output {@code [1, K ≥ 10]}: the first 10 values score the 10 queue slots (for a DQN, the Q-values
 *       of "schedule slot i"); the slots are re-ordered within their class ({@link Ranking}), everything else keeps
 *       its {@code wdrf} priority.</li>
 * </ul>
 * A load error, a NaN/∞ output, an inference error or a timeout gives the {@code wdrf} plan for that cycle, with a
 * note on every explanation, a WARNING log line and the {@link OnnxPolicyMXBean#getFallbacks()} counter. Every
 * explanation names the model's SHA-256.
 */
final class OnnxPolicy implements PriorityPolicy, OnnxPolicyMXBean {

    static final String NAME = "onnx";
    private static final System.Logger LOG = System.getLogger("io.wdrf.onnx");

    private final ModelSpec spec;
    private final PriorityPolicy wdrf;
    private final ClassBand band;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String loadError;
    private final ExecutorService executor;
    private final Skrueue67 skrueue = new Skrueue67();
    private final AtomicLong inferences = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile String lastReason = "";

    OnnxPolicy(ModelSpec spec, PriorityPolicy wdrf, ClassBand band, OrtEnvironment env, OrtSession session,
               String loadError) {
        this.spec = spec;
        this.wdrf = wdrf;
        this.band = band;
        this.env = env;
        this.session = session;
        this.loadError = loadError;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wdrf-onnx-inference");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PriorityPlan evaluate(PolicyContext context) {
        PriorityPlan base = wdrf.evaluate(context);
        if (session == null) {
            return fallback(base, "model failed to load: " + loadError);
        }
        if (context.pending().isEmpty()) {
            return new PriorityPlan(NAME, context.now(), List.of());
        }
        try {
            return Features.POINTWISE.equals(spec.layout()) ? pointwise(context) : skrueue(context, base);
        } catch (TimeoutException e) {
            return fallback(base, "inference took longer than " + spec.timeoutMillis() + " ms");
        } catch (NonFiniteException e) {
            return fallback(base, e.getMessage());
        } catch (Exception e) {
            return fallback(base, "inference failed: " + e);
        }
    }

    private PriorityPlan pointwise(PolicyContext context) throws Exception {
        List<PendingWorkload> pending = context.pending();
        int n = pending.size();
        int f = spec.inputWidth();
        float[] x = new float[n * f];
        for (int i = 0; i < n; i++) {
            double[] row = Features.pointwise(pending.get(i), context);
            for (int k = 0; k < f; k++) {
                x[i * f + k] = (float) ((row[k] - spec.mean()[k]) * spec.scale()[k]);
            }
        }
        float[] y = infer(x, new long[]{n, f}, n);
        String sha = "model sha256=" + spec.sha256();
        List<PriorityDecision> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PendingWorkload p = pending.get(i);
            double s = y[i];
            double unit = spec.scoreRange() != null
                    ? (s - spec.scoreRange()[0]) / (spec.scoreRange()[1] - spec.scoreRange()[0])
                    : 1.0 / (1.0 + Math.exp(-s));
            int priority = band.priority(p.workloadClass(), unit);
            TenantState t = context.tenants().get(p.tenant());
            Map<String, Double> factors = new TreeMap<>();
            factors.put("onnx.score", s);
            factors.put("unit", Math.max(0, Math.min(1, unit)));
            double classPts = band.classPoints(p.workloadClass());
            Explanation e = new Explanation(NAME, p.tenant(), p.workloadClass(), t == null ? 1 : t.weight(),
                    t == null ? 0 : t.weightedDominantShare(), t == null ? "" : t.dominantResource(), p.level(),
                    p.waited(), 0, classPts, 0, 0, classPts + band.inBand(p.workloadClass(), priority), factors,
                    List.of(sha));
            out.add(new PriorityDecision(p.id(), priority, e));
        }
        return new PriorityPlan(NAME, context.now(), out);
    }

    private PriorityPlan skrueue(PolicyContext context, PriorityPlan base) throws Exception {
        List<WorkloadId> head = Ranking.head(base, Skrueue67.QUEUE);
        Map<WorkloadId, PendingWorkload> byId = new HashMap<>();
        Map<WorkloadId, String> classOf = new HashMap<>();
        for (PendingWorkload p : context.pending()) {
            byId.put(p.id(), p);
            classOf.put(p.id(), p.workloadClass());
        }
        List<PendingWorkload> queue = new ArrayList<>();
        for (WorkloadId id : head) {
            queue.add(byId.get(id));
        }
        double[] obs = skrueue.observe(context, queue);
        int w = spec.inputWidth();
        float[] x = new float[w];
        for (int k = 0; k < w; k++) {
            x[k] = (float) ((obs[k] - spec.mean()[k]) * spec.scale()[k]);
        }
        float[] y = infer(x, new long[]{1, w}, Skrueue67.QUEUE);
        double[] scores = new double[head.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = y[i];
        }
        String sha = "model sha256=" + spec.sha256();
        PriorityPlan ranked = Ranking.rerank(base, head, scores, classOf, NAME, "ranked by onnx skrueue-67");
        List<PriorityDecision> out = new ArrayList<>(ranked.decisions().size());
        for (PriorityDecision d : ranked.decisions()) {
            out.add(new PriorityDecision(d.workloadId(), d.priority(), d.explanation().withNote(sha)));
        }
        return new PriorityPlan(NAME, context.now(), out);
    }

    /** Runs the model; at least {@code need} finite outputs or {@link NonFiniteException}. */
    private float[] infer(float[] x, long[] shape, int need) throws Exception {
        Future<float[]> f = executor.submit(() -> {
            try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                 OrtSession.Result r = session.run(Map.of(spec.input(), in))) {
                OnnxTensor out = (OnnxTensor) r.get(spec.output())
                        .orElseThrow(() -> new IllegalStateException("model has no output '" + spec.output() + "'"));
                FloatBuffer fb = out.getFloatBuffer();
                float[] y = new float[fb.remaining()];
                fb.get(y);
                return y;
            }
        });
        float[] y;
        try {
            y = f.get(spec.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        if (y.length < need) {
            throw new NonFiniteException("model returned " + y.length + " values, expected at least " + need);
        }
        for (int i = 0; i < need; i++) {
            if (!Float.isFinite(y[i])) {
                throw new NonFiniteException("model output " + i + " is " + y[i]);
            }
        }
        inferences.incrementAndGet();
        return y;
    }

    private PriorityPlan fallback(PriorityPlan base, String reason) {
        String clean = reason.replaceAll("[\\p{Cntrl}]", "?");
        long count = fallbacks.incrementAndGet();
        boolean changed = !clean.equals(lastReason);
        lastReason = clean;
        if (changed || count % 100 == 1) {
            LOG.log(System.Logger.Level.WARNING, "onnx policy: falling back to wdrf (" + clean + "); model sha256="
                    + spec.sha256() + "; fallbacks so far: " + count);
        }
        String note = "onnx fallback to wdrf: " + clean + "; model sha256=" + spec.sha256();
        List<PriorityDecision> out = new ArrayList<>(base.decisions().size());
        for (PriorityDecision d : base.decisions()) {
            out.add(new PriorityDecision(d.workloadId(), d.priority(), d.explanation().withNote(note)));
        }
        return new PriorityPlan(NAME, base.evaluatedAt(), out);
    }

    @Override
    public String getModelSha256() {
        return spec.sha256();
    }

    @Override
    public long getInferences() {
        return inferences.get();
    }

    @Override
    public long getFallbacks() {
        return fallbacks.get();
    }

    @Override
    public String getLastFallbackReason() {
        return lastReason;
    }

    /** A model output that cannot be used. */
    static final class NonFiniteException extends Exception {
        NonFiniteException(String message) {
            super(message);
        }
    }
}
