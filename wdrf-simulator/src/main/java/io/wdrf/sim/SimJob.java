package io.wdrf.sim;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One job of a trace, ready to replay as a single-pod-set Kueue Workload.
 *
 * @param name          workload name (unique within the trace)
 * @param team          team = namespace = WDRF tenant
 * @param arrivalMillis submission time, milliseconds after the trace start (after compression)
 * @param durationMillis run time once admitted, milliseconds (&gt; 0)
 * @param requests      container requests of the single pod (Kubernetes quantities, e.g. {@code nvidia.com/gpu: "4"})
 * @param usage         what the job holds while admitted, in the units of {@link SimCluster#capacity()} (metrics only)
 * @param workloadClass WDRF class ({@code normal}, {@code approved}, {@code urgent}, ...)
 */
public record SimJob(String name, String team, long arrivalMillis, long durationMillis, Map<String, String> requests,
                     Map<String, Double> usage, String workloadClass) {

    public SimJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(team, "team");
        if (arrivalMillis < 0) {
            throw new IllegalArgumentException("job " + name + ": negative arrival " + arrivalMillis);
        }
        if (durationMillis <= 0) {
            throw new IllegalArgumentException("job " + name + ": duration must be positive, got " + durationMillis + " ms");
        }
        requests = Collections.unmodifiableMap(new TreeMap<>(requests));
        usage = Collections.unmodifiableMap(new TreeMap<>(usage));
        workloadClass = workloadClass == null || workloadClass.isEmpty() ? "normal" : workloadClass;
    }

    /** Amount of {@code resource} held while running (0 when absent). */
    public double uses(String resource) {
        return usage.getOrDefault(resource, 0.0);
    }
}
