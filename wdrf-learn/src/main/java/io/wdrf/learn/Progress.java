package io.wdrf.learn;

import java.io.PrintStream;
import java.util.Locale;

/** A progress bar redrawn on a terminal, otherwise a line per 10 %. */
final class Progress {

    private final PrintStream err;
    private final boolean terminal;
    private final String label;
    private final long total;
    private int lastDecile = -1;

    Progress(PrintStream err, boolean terminal, String label, long total) {
        this.err = err;
        this.terminal = terminal;
        this.label = label;
        this.total = Math.max(1, total);
    }

    synchronized void update(long done, String detail) {
        double f = Math.min(1.0, done / (double) total);
        if (terminal) {
            int width = 30;
            int filled = (int) Math.round(f * width);
            err.print(String.format(Locale.ROOT, "\r%-10s [%s%s] %5.1f%% %d/%d %s", label, "#".repeat(filled),
                    " ".repeat(width - filled), f * 100, done, total, detail));
            if (done >= total) {
                err.println();
            }
            err.flush();
        } else {
            int d = (int) Math.floor(f * 10);
            if (d > lastDecile) {
                lastDecile = d;
                err.println(String.format(Locale.ROOT, "%s: %d%% (%d/%d) %s", label, d * 10, done, total, detail));
            }
        }
    }
}
