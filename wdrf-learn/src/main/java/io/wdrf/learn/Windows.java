package io.wdrf.learn;

import io.wdrf.sim.SimJob;
import io.wdrf.sim.Trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trace windows: the jobs of a trace that arrive in {@code [start, start + length)}, shifted to start at 0.
 *
 * <p>Philly weeks: week {@code w} starts {@code w · 7 days} after the first arrival; {@link #weekly} takes
 * {@code perWeek} windows of {@code length} per week, at offsets {@code i · 7d / perWeek} (i = 0…perWeek−1) —
 * training and held-out sets use different weeks, so no job appears in both.
 */
public final class Windows {

    private static final long WEEK = Duration.ofDays(7).toMillis();

    private Windows() {
    }

    /** The window of {@code trace} starting at {@code startMillis}, named {@code name}. */
    public static Trace slice(Trace trace, long startMillis, long lengthMillis, String name) {
        List<SimJob> jobs = new ArrayList<>();
        for (SimJob j : trace.jobs()) {
            long a = j.arrivalMillis();
            if (a >= startMillis && a < startMillis + lengthMillis) {
                jobs.add(new SimJob(j.name(), j.team(), a - startMillis, j.durationMillis(), j.requests(), j.usage(),
                        j.workloadClass()));
            }
        }
        return new Trace(name, trace.cluster(), jobs, List.of(), 0);
    }

    /** {@code perWeek} windows of {@code length} in each of {@code weeks} (0-based week numbers). */
    public static List<Trace> weekly(Trace trace, List<Integer> weeks, int perWeek, Duration length) {
        if (perWeek < 1) {
            throw new IllegalArgumentException("--windows-per-week: " + perWeek + " must be at least 1");
        }
        List<Trace> out = new ArrayList<>();
        for (int w : weeks) {
            for (int i = 0; i < perWeek; i++) {
                long start = w * WEEK + i * (WEEK / perWeek);
                Trace t = slice(trace, start, length.toMillis(),
                        String.format(Locale.ROOT, "%s-w%d-%d", trace.name(), w, i));
                if (!t.jobs().isEmpty()) {
                    out.add(t);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("weeks " + weeks + " of trace " + trace.name() + " have no jobs");
        }
        return out;
    }

    /** Parses {@code 1,2,5-7} into week numbers. */
    public static List<Integer> parseWeeks(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                int dash = p.indexOf('-');
                if (dash > 0) {
                    int a = Integer.parseInt(p.substring(0, dash).trim());
                    int b = Integer.parseInt(p.substring(dash + 1).trim());
                    if (a < 0 || b < a || b - a > 1000) {
                        throw new IllegalArgumentException("weeks: bad range '" + p + "'");
                    }
                    for (int i = a; i <= b; i++) {
                        out.add(i);
                    }
                } else {
                    int v = Integer.parseInt(p);
                    if (v < 0) {
                        throw new IllegalArgumentException("weeks: " + v + " must not be negative");
                    }
                    out.add(v);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weeks: '" + p + "' is not a week number or range");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("weeks: '" + text + "' names no week");
        }
        return out;
    }
}
