package io.wdrf.hami;

import io.wdrf.api.ContainerSpec;
import io.wdrf.api.Quantity;

import java.math.BigDecimal;
import java.util.function.DoubleSupplier;

/**
 * One container's HAMi GPU request after HAMi's decoding ({@code GenerateResourceRequests}) and the webhook
 * defaults WDRF re-applies (Workloads come from pod templates the webhook never sees).
 *
 * @param cards         distinct physical cards ({@code 0} = no GPU request)
 * @param memoryMiB     booked MiB per card after unit and memory factor ({@code 0} = not given)
 * @param memoryPercent percent of each card's memory, {@code 1..100}, or {@link #UNSET_PERCENT}
 * @param cores         compute percent per card, {@code 0..100} (clamped, defaults applied)
 */
record GpuRequest(int cards, long memoryMiB, int memoryPercent, int cores) {

    /** HAMi's sentinel for "no memory percentage". */
    static final int UNSET_PERCENT = 101;

    static final GpuRequest NONE = new GpuRequest(0, 0, UNSET_PERCENT, 0);

    private static final String IGNORED = " (HAMi ignores the GPU request of this container)";

    /** True when the memory share depends on the card's memory size. */
    boolean needsCardMemory(HamiConfig cfg) {
        return cards > 0 && (memoryMiB > 0 || (memoryPercent == UNSET_PERCENT && cfg.defaultMemoryMiB() != 0));
    }

    /**
     * Share of one card: max(memory fraction, cores/100[, 1/splitCount]); 1.0 under the mutex GPU policy. A memory
     * request larger than the card is capped at one card.
     */
    double sharePerCard(HamiConfig cfg, boolean mutex, DoubleSupplier cardMemoryMiB) {
        if (cards == 0) {
            return 0.0;
        }
        if (mutex) {
            return 1.0;
        }
        double mem;
        if (memoryMiB > 0) {
            mem = memoryMiB / cardMemoryMiB.getAsDouble();
        } else if (memoryPercent != UNSET_PERCENT) {
            mem = memoryPercent / 100.0;
        } else if (cfg.defaultMemoryMiB() != 0) {
            mem = cfg.defaultMemoryMiB() / cardMemoryMiB.getAsDouble();
        } else {
            mem = 1.0;
        }
        double share = Math.max(Math.min(1.0, mem), cores / 100.0);
        if (cfg.slotFloor()) {
            share = Math.max(share, 1.0 / cfg.splitCount());
        }
        return share;
    }

    /** GPU fraction of the container: cards × share per card. */
    double fraction(HamiConfig cfg, boolean mutex, DoubleSupplier cardMemoryMiB) {
        return cards * sharePerCard(cfg, mutex, cardMemoryMiB);
    }

    /**
     * Decodes a container's request: limits before requests for every resource.
     *
     * @param path field path of the container's {@code resources}, e.g.
     *             {@code spec.podSets[0].template.spec.containers[train].resources}
     * @throws IllegalArgumentException naming the field, value and reason for an invalid value
     */
    static GpuRequest decode(ContainerSpec c, HamiConfig cfg, String path) {
        HamiVendor v = cfg.vendor();
        Raw count = lookup(c, v.countResource(), path);
        Raw mem = lookup(c, v.memoryResource(), path);
        Raw pct = lookup(c, v.memoryPercentageResource(), path);
        Raw cores = lookup(c, v.coreResource(), path);
        if (count == null && mem == null && pct == null && cores == null) {
            return NONE;
        }
        int n;
        if (count != null) {
            n = integer(count, "card count");
            if (n < 0) {
                throw new IllegalArgumentException(count.where + ": '" + count.value + "' is a negative card count"
                        + IGNORED);
            }
        } else {
            // HAMi's webhook adds count = defaultGPUNum when only memory/percentage/cores are given.
            n = cfg.defaultGpuNum();
        }
        long memoryMiB = 0;
        if (mem != null) {
            memoryMiB = memoryMiB(mem, cfg);
        }
        int percent = UNSET_PERCENT;
        if (pct != null) {
            int p = integer(pct, "percentage");
            if (p > 100) {
                percent = 100;
            } else if (p > 0) {
                percent = p;
            }
        }
        int coreValue;
        if (cores != null) {
            int k = integer(cores, "core percentage");
            if (k < 0) {
                throw new IllegalArgumentException(cores.where + ": '" + cores.value
                        + "' is a negative core percentage" + IGNORED);
            }
            coreValue = Math.min(k, 100);
        } else if (cfg.exclusiveDefaulting() && exclusive(pct, mem, v)) {
            coreValue = 100;
        } else {
            coreValue = cfg.defaultCores();
        }
        if (n == 0) {
            return NONE;
        }
        return new GpuRequest(n, memoryMiB, percent, coreValue);
    }

    /**
     * HAMi's v2.7+ {@code defaultExclusiveCoreIfNeeded} (cores absent): percentage equals 100, or no percentage and
     * the vendor has no memory resource, or neither percentage nor memory given.
     */
    private static boolean exclusive(Raw pct, Raw mem, HamiVendor v) {
        if (pct != null) {
            return isExactly100(pct.value);
        }
        return v.memoryResource().isEmpty() || mem == null;
    }

    private static boolean isExactly100(String raw) {
        try {
            return Quantity.parse(raw).compareTo(BigDecimal.valueOf(100)) == 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static long memoryMiB(Raw mem, HamiConfig cfg) {
        String s = mem.value;
        int start = s.startsWith("+") ? 1 : 0;
        boolean digits = s.length() > start;
        for (int i = start; i < s.length() && digits; i++) {
            digits = s.charAt(i) >= '0' && s.charAt(i) <= '9';
        }
        if (!digits) {
            String unit = cfg.vendor().memoryUnitMiB() == 1 ? "MiB" : "unit of " + cfg.vendor().memoryUnitMiB() + " MiB";
            throw new IllegalArgumentException(mem.where + ": '" + s + "' is not an integer " + unit + IGNORED);
        }
        BigDecimal raw = new BigDecimal(s.substring(start));
        BigDecimal limit = BigDecimal.valueOf(Integer.MAX_VALUE / cfg.memoryFactor());
        if (raw.compareTo(limit) > 0) {
            throw new IllegalArgumentException(mem.where + ": '" + s + "' exceeds " + limit
                    + " (int32 / memoryFactor " + cfg.memoryFactor() + ")" + IGNORED);
        }
        return raw.longValueExact() * cfg.memoryFactor() * cfg.vendor().memoryUnitMiB();
    }

    private static int integer(Raw r, String what) {
        BigDecimal d;
        try {
            d = Quantity.parse(r.value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(r.where + ": " + e.getMessage() + IGNORED, e);
        }
        try {
            return d.intValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(r.where + ": '" + r.value + "' is not an integer " + what
                    + " in int32 range" + IGNORED);
        }
    }

    private static Raw lookup(ContainerSpec c, String resource, String path) {
        if (resource.isEmpty()) {
            return null;
        }
        String l = c.limits().get(resource);
        if (l != null) {
            return new Raw(l, path + ".limits." + resource);
        }
        String r = c.requests().get(resource);
        if (r != null) {
            return new Raw(r, path + ".requests." + resource);
        }
        return null;
    }

    private record Raw(String value, String where) {
    }
}
