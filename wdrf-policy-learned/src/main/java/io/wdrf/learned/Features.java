package io.wdrf.learned;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.TenantState;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pointwise} feature layout (version {@value #POINTWISE_VERSION}): one row of {@value #POINTWISE_WIDTH}
 * numbers per pending workload, each in [0, 1], computed from the {@link PolicyContext} alone (deterministic).
 *
 * <pre>
 *  0 fairness     1 / (1 + level)                     progressive-filling level (wdrf's fairness factor / R)
 *  1 age          floor(min(wait, maxAge)/maxAge · agingSteps) / agingSteps   (wdrf's quantised age factor)
 *  2 cpu          demand cpu / capacity cpu            clamped to [0, 1]; 0 without capacity
 *  3 memory       demand memory / capacity memory
 *  4 gpu          max over resources named *&#47;gpu of demand / capacity
 *  5 class        rank of the class weight among priorityWeights / (classes − 1)   (normal 0 … urgent 1)
 *  6 runtimeKnown 1 when annotation {@value #EXPECTED_RUNTIME} holds a positive number of seconds, else 0
 *  7 runtime      log2(1 + seconds) / log2(1 + 7 days)  clamped; 0 when unknown
 *  8 share        tenant's weighted dominant share, clamped to [0, 1]
 *  9 entitlement  tenant weight / Σ weights of the tenants with pending or admitted work
 * </pre>
 */
public final class Features {

    /** Name of the pointwise layout. */
    public static final String POINTWISE = "pointwise";
    /** Version of the pointwise layout (bumped whenever a column changes meaning). */
    public static final int POINTWISE_VERSION = 1;
    /** Columns of a pointwise row. */
    public static final int POINTWISE_WIDTH = 10;
    /** Column names of the pointwise layout, in order. */
    public static final List<String> POINTWISE_COLUMNS = List.of("fairness", "age", "cpu", "memory", "gpu", "class",
            "runtimeKnown", "runtime", "share", "entitlement");
    /** Workload annotation with the expected run time in whole seconds (optional). */
    public static final String EXPECTED_RUNTIME = "wdrf.x-k8s.io/expected-runtime-seconds";

    private static final double WEEK_LOG = log2(1 + 7 * 86400.0);

    private Features() {
    }

    /** The pointwise row of {@code p} in {@code context}. */
    public static double[] pointwise(PendingWorkload p, PolicyContext context) {
        double[] f = new double[POINTWISE_WIDTH];
        PolicyConfig config = context.config();
        f[0] = 1.0 / (1.0 + Math.max(0.0, p.level()));
        f[1] = ageFactor(p, config);
        ResourceVector cap = context.capacity();
        f[2] = fraction(p.demand().get("cpu"), cap.get("cpu"));
        f[3] = fraction(p.demand().get("memory"), cap.get("memory"));
        f[4] = gpuFraction(p.demand(), cap);
        f[5] = classRank(p.workloadClass(), config);
        long seconds = expectedRuntimeSeconds(p);
        f[6] = seconds > 0 ? 1.0 : 0.0;
        f[7] = seconds > 0 ? clamp(log2(1 + seconds) / WEEK_LOG) : 0.0;
        TenantState t = context.tenants().get(p.tenant());
        f[8] = t == null ? 0.0 : clamp(t.weightedDominantShare());
        double total = 0;
        for (TenantState s : context.tenants().values()) {
            total += s.weight();
        }
        f[9] = t == null || total <= 0 ? 0.0 : clamp(t.weight() / total);
        return f;
    }

    /** Pointwise rows of all pending workloads of {@code context}, in the context's order. */
    public static List<double[]> pointwise(PolicyContext context) {
        List<double[]> rows = new ArrayList<>(context.pending().size());
        for (PendingWorkload p : context.pending()) {
            rows.add(pointwise(p, context));
        }
        return rows;
    }

    /** wdrf's quantised age factor. */
    static double ageFactor(PendingWorkload p, PolicyConfig config) {
        long max = config.maxAgingTime().toMillis();
        long w = Math.min(Math.max(0, p.waited().toMillis()), max);
        long step = (long) Math.floor((double) w / max * config.agingSteps());
        return (double) step / config.agingSteps();
    }

    /** Rank of the class weight among the configured classes, scaled to [0, 1]; unknown classes 0. */
    static double classRank(String workloadClass, PolicyConfig config) {
        Long w = config.priorityWeights().get(workloadClass);
        int n = config.priorityWeights().size();
        if (w == null || n < 2) {
            return 0.0;
        }
        int below = 0;
        for (long v : config.priorityWeights().values()) {
            if (v < w) {
                below++;
            }
        }
        return (double) below / (n - 1);
    }

    /** Seconds from {@link #EXPECTED_RUNTIME}, or 0 when absent or not a positive whole number. */
    static long expectedRuntimeSeconds(PendingWorkload p) {
        String raw = p.workload().annotations().get(EXPECTED_RUNTIME);
        if (raw == null) {
            return 0;
        }
        try {
            long v = Long.parseLong(raw.trim());
            return Math.max(0, v);
        } catch (NumberFormatException e) {
            return 0; // a bad hint counts as unknown
        }
    }

    static double gpuFraction(ResourceVector demand, ResourceVector capacity) {
        double g = 0;
        for (String r : demand.resources()) {
            if (isGpu(r)) {
                g = Math.max(g, fraction(demand.get(r), capacity.get(r)));
            }
        }
        return g;
    }

    /** A GPU count resource, also as a per-flavor share key ({@code nvidia.com/gpu@t4}). */
    static boolean isGpu(String key) {
        int at = key.indexOf('@');
        return (at < 0 ? key : key.substring(0, at)).endsWith("/gpu");
    }

    static double fraction(double amount, double capacity) {
        return capacity > 0 ? clamp(amount / capacity) : 0.0;
    }

    static double clamp(double v) {
        return Double.isNaN(v) ? 0.0 : Math.max(0.0, Math.min(1.0, v));
    }

    static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
