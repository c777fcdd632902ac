package io.wdrf.sim;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on stderr: a redrawn bar on a terminal (at most 4 redraws a second), otherwise one plain line per 10% of
 * jobs finished and, in between, one every 30 s of wall time (so a slow replay still shows where it is); all with
 * the wall time so far and an ETA for the current policy (elapsed × remaining / done, on a monotonic ticker).
 */
final class ConsoleProgress implements ProgressListener {

    private final PrintStream err;
    private final boolean terminal;
    private final java.util.function.LongSupplier nanoTicker;
    private String policy = "";
    private int lastDecile = -1;
    private long startNanos;
    private long lastPrintNanos;
    /** Plain lines between deciles, at most this often. */
    static final long PLAIN_EVERY_NANOS = 30_000_000_000L;
    static final long REDRAW_EVERY_NANOS = 250_000_000L;

    ConsoleProgress(PrintStream err, boolean terminal) {
        this(err, terminal, System::nanoTime);
    }

    ConsoleProgress(PrintStream err, boolean terminal, java.util.function.LongSupplier nanoTicker) {
        this.err = err;
        this.terminal = terminal;
        this.nanoTicker = nanoTicker;
    }

    /** {@code elapsed 12s ETA 1m05s}: the ETA extrapolates the finished fraction; unknown before the first job. */
    static String timing(double fraction, long elapsedNanos) {
        long elapsed = Math.max(0, elapsedNanos) / 1_000_000_000L;
        String eta = fraction <= 0 ? "?" : clock(Math.round(elapsedNanos / 1e9 * (1 - fraction) / fraction));
        return "elapsed " + clock(elapsed) + " ETA " + eta;
    }

    private static String clock(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long sec = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%dh%02dm%02ds", h, m, sec)
                : m > 0 ? String.format(Locale.ROOT, "%dm%02ds", m, sec) : sec + "s";
    }

    @Override
    public void update(String p, long finished, long total, double simSeconds) {
        long now = nanoTicker.getAsLong();
        boolean first = false;
        if (!p.equals(policy)) {
            policy = p;
            lastDecile = -1;
            startNanos = now;
            first = true;
        }
        double f = total == 0 ? 1.0 : finished / (double) total;
        String timing = timing(f, now - startNanos);
        if (terminal) {
            if (!first && finished < total && now - lastPrintNanos < REDRAW_EVERY_NANOS) {
                return;
            }
            lastPrintNanos = now;
            int width = 30;
            int filled = (int) Math.round(f * width);
            err.print(String.format(Locale.ROOT, "\r%-14s [%s%s] %5.1f%%  %d/%d jobs  t=%.1f d  %s   ", p, "#".repeat(filled),
                    " ".repeat(width - filled), f * 100, finished, total, simSeconds / 86400, timing));
            if (finished >= total) {
                err.println();
            }
            err.flush();
        } else {
            int decile = (int) Math.floor(f * 10);
            if (decile > lastDecile) {
                lastDecile = decile;
                lastPrintNanos = now;
                err.println(String.format(Locale.ROOT, "%s: %d%% (%d/%d jobs finished, simulated %.1f days, %s)", p,
                        decile * 10, finished, total, simSeconds / 86400, timing));
            } else if (now - lastPrintNanos >= PLAIN_EVERY_NANOS) {
                lastPrintNanos = now;
                err.println(String.format(Locale.ROOT, "%s: %.1f%% (%d/%d jobs finished, simulated %.1f days, %s)", p,
                        f * 100, finished, total, simSeconds / 86400, timing));
            }
        }
    }
}
