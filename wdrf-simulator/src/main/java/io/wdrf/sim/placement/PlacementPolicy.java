package io.wdrf.sim.placement;

import java.util.Locale;

/**
 * Node-level placement after admission ({@code --placement}): none (admission alone decides, the default), or HAMi's
 * scheduler policies, applied to both the node ({@code hami.io/node-scheduler-policy}) and the card
 * ({@code hami.io/gpu-scheduler-policy}) choice.
 */
public enum PlacementPolicy {
    /** No placement: an admitted workload runs at once (the simulator's behaviour without the flag). */
    NONE,
    /** Most-used node and most-used card that fit (HAMi {@code binpack}). */
    BINPACK,
    /** Least-used node and least-used card that fit (HAMi {@code spread}). */
    SPREAD;

    /** @throws IllegalArgumentException naming the accepted values */
    public static PlacementPolicy parse(String text) {
        for (PlacementPolicy p : values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("--placement: '" + text + "' is not one of none, binpack, spread");
    }

    /** The flag spelling. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
