package io.wdrf.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * {@link EngineBenchmark}'s cases interleaved in one JVM (bare sort, steady state, clock only, 1 % churn, churn
 * and clock, one after the other, round after round) and timed by the thread's CPU time as well as wall time: on a shared, loaded machine
 * the CPU-time ratios to the bare sort of the same rounds are steadier than JMH's wall-clock ones. The first half of
 * the rounds is warm-up. Means and medians of the measured rounds are printed (the ratio of medians is the steadier).
 *
 * <p>Run: {@code java -Xmx6g -cp wdrf-benchmarks/target/wdrf-benchmarks.jar io.wdrf.bench.EngineCpuRatio [pending] [rounds]}
 */
public final class EngineCpuRatio {

    private EngineCpuRatio() {
    }

    /** The median of the rounds' CPU times (a collection or a neighbour's burst moves the mean, rarely the median). */
    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    public static void main(String[] args) {
        EngineBenchmark b = new EngineBenchmark();
        b.pending = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        b.tenants = 1000;
        b.nodes = 5000;
        b.churnPermille = 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        b.setUp();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        String[] names = {"bareSortByPrecomputedKey", "wdrfSteadyState", "wdrfClockOnly", "wdrfChurn", "wdrfChurnAndClock"};
        long[] cpu = new long[names.length];
        long[] wall = new long[names.length];
        long[][] perRound = new long[names.length][rounds - rounds / 2]; // CPU time of each measured round
        Object sink = null;
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < names.length; k++) {
                if (k == 3) { // one churn per round: both churn engines see 1 % between their cycles
                    b.churn();
                }
                long c0 = mx.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                sink = switch (k) {
                    case 0 -> b.bareSortByPrecomputedKey();
                    case 1 -> b.wdrfSteadyState();
                    case 2 -> b.wdrfClockOnly();
                    case 3 -> b.wdrfChurn();
                    default -> b.wdrfChurnAndClock();
                };
                long c1 = mx.getCurrentThreadCpuTime();
                long w1 = System.nanoTime();
                if (i >= rounds / 2) {
                    perRound[k][i - rounds / 2] = c1 - c0;
                    cpu[k] += c1 - c0;
                    wall[k] += w1 - w0;
                }
            }
        }
        int measured = rounds - rounds / 2;
        System.out.printf(Locale.ROOT, "pending=%d rounds=%d (measured %d)%n", b.pending, rounds, measured);
        long bareMedian = median(perRound[0]);
        for (int k = 0; k < names.length; k++) {
            long med = median(perRound[k]);
            System.out.printf(Locale.ROOT, "%-26s cpu %9.2f ms  wall %9.2f ms  cpu ratio to bare sort %.2f"
                            + "  (medians: %.2f ms, ratio %.2f)%n", names[k], cpu[k] / 1e6 / measured,
                    wall[k] / 1e6 / measured, (double) cpu[k] / cpu[0], med / 1e6, (double) med / bareMedian);
        }
        if (sink == null) {
            System.out.println();
        }
    }
}
