package io.wdrf.learned;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.TenantState;

import java.util.List;

/**
 * The {@code skrueue-67} observation (version {@value #VERSION}): SKRueue's 67-dimensional state in its order, followed
 * by {@value #GPU_DIMS} GPU dimensions SKRueue does not have. A model trained on SKRueue's 67 inputs reads the first
 * 67; a model declaring {@value #WIDTH} inputs also sees the GPU block. Every value is in [0, 1].
 *
 * <pre>
 *   0  cpu available         1 − used cpu / capacity cpu       (used = Σ tenants' admitted usage)
 *   1  memory available      1 − used memory / capacity memory
 *   2  cpu utilisation       used cpu / capacity cpu
 *   3  memory utilisation    used memory / capacity memory
 *   4  running jobs          min(1, admitted workloads / 100)
 *   5  cpu utilisation hist. exponential moving average (α = 0.1) of dim 2 over the cycles this extractor saw
 *   6  recent OOM rate       always 0: the controller does not see OOM kills (kept for SKRueue compatibility)
 *   7 + 6k … 12 + 6k, for the k-th (k = 0…9) of the first 10 pending workloads in the given order (zeros when absent):
 *      cpu request / capacity, memory request / capacity, priority (class rank as in pointwise column 5),
 *      wait min(1, waited / maxAgingTime), expected runtime (pointwise column 7), job type (0 no GPU, 0.5 a GPU
 *      fraction, 1 whole GPUs)
 *   67 gpu available         1 − max over *&#47;gpu resources of used / capacity   (0 without GPU capacity)
 *   68 gpu utilisation       max over *&#47;gpu resources of used / capacity
 *   69 + k                   gpu request / capacity of the k-th pending workload (pointwise column 4)
 * </pre>
 *
 * <p>Not thread-safe: one extractor per policy instance or environment (dim 5 keeps history).
 */
public final class Skrueue67 {

    /** Name of the layout. */
    public static final String NAME = "skrueue-67";
    /** Version of the layout. */
    public static final int VERSION = 1;
    /** Jobs in the queue block. */
    public static final int QUEUE = 10;
    /** SKRueue's dimensions. */
    public static final int SKRUEUE_DIMS = 67;
    /** GPU dimensions appended. */
    public static final int GPU_DIMS = 2 + QUEUE;
    /** Total width. */
    public static final int WIDTH = SKRUEUE_DIMS + GPU_DIMS;

    private double cpuHistory = Double.NaN;

    /** The observation for {@code context} with {@code queue} (the first 10 are used) as the job block. */
    public double[] observe(PolicyContext context, List<PendingWorkload> queue) {
        double[] o = new double[WIDTH];
        ResourceVector cap = context.capacity();
        ResourceVector used = ResourceVector.empty();
        int admitted = 0;
        for (TenantState t : context.tenants().values()) {
            used = used.plus(t.usage());
            admitted += t.admitted();
        }
        double cpuUtil = Features.fraction(used.get("cpu"), cap.get("cpu"));
        double memUtil = Features.fraction(used.get("memory"), cap.get("memory"));
        o[0] = cap.get("cpu") > 0 ? 1 - cpuUtil : 0;
        o[1] = cap.get("memory") > 0 ? 1 - memUtil : 0;
        o[2] = cpuUtil;
        o[3] = memUtil;
        o[4] = Math.min(1.0, admitted / 100.0);
        cpuHistory = Double.isNaN(cpuHistory) ? cpuUtil : 0.9 * cpuHistory + 0.1 * cpuUtil;
        o[5] = cpuHistory;
        o[6] = 0.0;
        double gpuUtil = Features.gpuFraction(used, cap);
        boolean gpuCap = cap.resources().stream().anyMatch(r -> Features.isGpu(r) && cap.get(r) > 0);
        o[67] = gpuCap ? 1 - gpuUtil : 0;
        o[68] = gpuUtil;
        for (int k = 0; k < Math.min(QUEUE, queue.size()); k++) {
            PendingWorkload p = queue.get(k);
            int b = 7 + 6 * k;
            o[b] = Features.fraction(p.demand().get("cpu"), cap.get("cpu"));
            o[b + 1] = Features.fraction(p.demand().get("memory"), cap.get("memory"));
            o[b + 2] = Features.classRank(p.workloadClass(), context.config());
            o[b + 3] = Features.clamp((double) p.waited().toMillis() / context.config().maxAgingTime().toMillis());
            long s = Features.expectedRuntimeSeconds(p);
            o[b + 4] = s > 0 ? Features.clamp(Features.log2(1 + s) / Features.log2(1 + 7 * 86400.0)) : 0.0;
            o[b + 5] = jobType(p);
            o[69 + k] = Features.gpuFraction(p.demand(), cap);
        }
        return o;
    }

    static double jobType(PendingWorkload p) {
        double whole = 0;
        boolean any = false;
        for (String r : p.demand().resources()) {
            if (Features.isGpu(r) && p.demand().get(r) > 0) {
                any = true;
                whole = Math.max(whole, p.demand().get(r));
            }
        }
        if (!any) {
            return 0.0;
        }
        return whole >= 1 && whole == Math.rint(whole) ? 1.0 : 0.5;
    }
}
