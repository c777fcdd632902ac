package io.wdrf.sim.placement;

import io.wdrf.api.Quantity;

import java.util.Map;

/**
 * What one pod asks of a node, decoded with HAMi's NVIDIA rules ({@code GenerateResourceRequests} and the v2.7+
 * webhook default, see {@code shared/reference/hami.md} §1.1): {@code cards} distinct physical cards, each booked
 * {@code memMiBPerCard} MiB when {@code nvidia.com/gpumem} is given (explicit MiB wins), else {@code memPercent} % of
 * the card (a percentage above 100 is clamped, 0 or none means the whole card), and {@code cores} % of its compute
 * ({@code nvidia.com/gpucores}; when absent, 100 for a whole-card request — the webhook's exclusive default — else 0).
 *
 * @param cpuMilli      CPU request in millicores
 * @param memMiB        memory request in MiB
 * @param cards         physical cards ({@code nvidia.com/gpu}); 0 = no GPU
 * @param memPercent    per-card memory in % of the card (1..100), used when {@code memMiBPerCard} is 0
 * @param memMiBPerCard per-card memory in MiB, or 0
 * @param cores         per-card compute in % (0..100)
 */
public record PodShape(long cpuMilli, long memMiB, int cards, int memPercent, long memMiBPerCard, int cores) {

    public PodShape {
        if (cpuMilli < 0 || memMiB < 0 || cards < 0 || memMiBPerCard < 0 || cores < 0 || cores > 100
                || memPercent < 0 || memPercent > 100) {
            throw new IllegalArgumentException("pod shape out of range: cpu " + cpuMilli + "m, memory " + memMiB
                    + "Mi, cards " + cards + ", memory " + memPercent + "% / " + memMiBPerCard + "Mi, cores " + cores);
        }
    }

    /** Decodes a pod's requests (Kubernetes quantities; HAMi's NVIDIA resource names). */
    public static PodShape of(Map<String, String> requests) {
        long cpu = requests.containsKey("cpu") ? Quantity.parse(requests.get("cpu")).movePointRight(3).longValue() : 0;
        long mem = requests.containsKey("memory") ? Quantity.parse(requests.get("memory")).longValue() >> 20 : 0;
        int cards = intOf(requests, "nvidia.com/gpu");
        if (cards == 0) {
            return new PodShape(cpu, mem, 0, 0, 0, 0);
        }
        long mib = intOf(requests, "nvidia.com/gpumem");
        int pct = intOf(requests, "nvidia.com/gpumem-percentage");
        pct = pct <= 0 ? 100 : Math.min(100, pct);
        boolean exclusive = mib == 0 && pct == 100;
        int cores = requests.containsKey("nvidia.com/gpucores") ? Math.min(100, intOf(requests, "nvidia.com/gpucores"))
                : exclusive ? 100 : 0;
        return new PodShape(cpu, mem, cards, mib > 0 ? 0 : pct, mib, cores);
    }

    private static int intOf(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not an integer (HAMi drops such a request)");
        }
    }

    /** Memory booked on a card of {@code cardMiB} (HAMi: integer MiB, a percentage rounded down). */
    long memOn(long cardMiB) {
        return memMiBPerCard > 0 ? memMiBPerCard : cardMiB * memPercent / 100;
    }

    /** The fraction of a card of {@code cardMiB} this pod books: max(memory share, cores / 100). */
    double fractionOn(long cardMiB) {
        double m = cardMiB > 0 ? Math.min(1.0, (double) memOn(cardMiB) / cardMiB) : 1.0;
        return Math.max(m, cores / 100.0);
    }

    /** True for a pod that asks for GPUs. */
    public boolean usesGpu() {
        return cards > 0;
    }
}
