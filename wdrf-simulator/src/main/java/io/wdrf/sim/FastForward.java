package io.wdrf.sim;

/**
 * Whether the replay collapses controller cycles that cannot influence an admission ({@code --fast-forward}).
 *
 * <p>A controller cycle only matters through the priorities it writes before the next admission cycle that can admit
 * something. With collapsing, a cycle on the grid is skipped when no admission cycle before the next grid point can
 * admit (no pending job fits the quota free by then) and the next executed cycle is certain to rewrite every priority
 * the skipped one would have written. See the simulator README ("Fast-forward") for the exact conditions.
 */
public enum FastForward {
    /** Every cycle on the grid runs (the replay before issue 14). */
    OFF,
    /**
     * Collapse only where it provably changes nothing but the counters of work done ({@code cycles}, {@code writes},
     * {@code engine_ms}): the default.
     */
    AUTO,
    /**
     * Also collapse where the per-cycle write limit ({@code --max-writes}) may bind: an approximation (the limit then
     * applies per executed cycle); the replay reports how many executed cycles hit the limit.
     */
    ON;

    /** Parses {@code auto}, {@code on}/{@code true} or {@code off}/{@code false}. */
    public static FastForward parse(String v) {
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> AUTO;
            case "on", "true" -> ON;
            case "off", "false" -> OFF;
            default -> throw new IllegalArgumentException("--fast-forward: '" + v + "' is not one of auto, on, off");
        };
    }
}
