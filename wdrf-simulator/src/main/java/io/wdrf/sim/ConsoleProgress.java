package io.wdrf.sim;

import java.io.PrintStream;
import java.util.Locale;

/** Progress on stderr: a redrawn bar on a terminal, otherwise one plain line per 10% of jobs finished. */
final class ConsoleProgress implements ProgressListener {

    private final PrintStream err;
    private final boolean terminal;
    private String policy = "";
    private int lastDecile = -1;

    ConsoleProgress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void update(String p, long finished, long total, double simSeconds) {
        if (!p.equals(policy)) {
            policy = p;
            lastDecile = -1;
        }
        double f = total == 0 ? 1.0 : finished / (double) total;
        if (terminal) {
            int width = 30;
            int filled = (int) Math.round(f * width);
            err.print(String.format(Locale.ROOT, "\r%-14s [%s%s] %5.1f%%  %d/%d jobs  t=%.1f d", p, "#".repeat(filled),
                    " ".repeat(width - filled), f * 100, finished, total, simSeconds / 86400));
            if (finished >= total) {
                err.println();
            }
            err.flush();
        } else {
            int decile = (int) Math.floor(f * 10);
            if (decile > lastDecile) {
                lastDecile = decile;
                err.println(String.format(Locale.ROOT, "%s: %d%% (%d/%d jobs finished, simulated %.1f days)", p,
                        decile * 10, finished, total, simSeconds / 86400));
            }
        }
    }
}
