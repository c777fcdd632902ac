package io.wdrf.learned;

import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The weights of the {@code learned} policy, one per {@link Features#POINTWISE_COLUMNS pointwise column}.
 *
 * <p>Text form (the {@code policy-options."learned.weights"} value): {@code fairness=1,age=1,cpu=0,...}; columns left
 * out are 0. The default ({@link #wdrfEquivalent(double)}) orders workloads within a class as {@code wdrf} does.
 */
public record LearnedWeights(double[] values) {

    /** The option key. */
    public static final String OPTION = "learned.weights";

    public LearnedWeights {
        if (values.length != Features.POINTWISE_WIDTH) {
            throw new IllegalArgumentException(OPTION + ": " + values.length + " weights, expected "
                    + Features.POINTWISE_WIDTH + " " + Features.POINTWISE_COLUMNS);
        }
        values = values.clone();
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i]) || Double.isInfinite(values[i]) || Math.abs(values[i]) > 1e6) {
                throw new IllegalArgumentException(OPTION + "." + Features.POINTWISE_COLUMNS.get(i) + ": " + values[i]
                        + " must be finite with |w| <= 1e6");
            }
        }
    }

    /** fairness = 1, age = agingCoefficient, the rest 0: the in-band order of {@code wdrf}. */
    public static LearnedWeights wdrfEquivalent(double agingCoefficient) {
        double[] w = new double[Features.POINTWISE_WIDTH];
        w[0] = 1.0;
        w[1] = agingCoefficient;
        return new LearnedWeights(w);
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static LearnedWeights parse(String text) {
        double[] w = new double[Features.POINTWISE_WIDTH];
        boolean[] seen = new boolean[w.length];
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(OPTION + ": '" + p + "' is not column=number");
            }
            String col = p.substring(0, eq).trim();
            int i = Features.POINTWISE_COLUMNS.indexOf(col);
            if (i < 0) {
                throw new IllegalArgumentException(OPTION + ": unknown column '" + col + "'; known: "
                        + Features.POINTWISE_COLUMNS);
            }
            if (seen[i]) {
                throw new IllegalArgumentException(OPTION + ": column '" + col + "' given twice");
            }
            seen[i] = true;
            try {
                w[i] = Double.parseDouble(p.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(OPTION + "." + col + ": '" + p.substring(eq + 1).trim()
                        + "' is not a number");
            }
        }
        return new LearnedWeights(w);
    }

    /** The weight of column {@code i}. */
    public double get(int i) {
        return values[i];
    }

    /** A copy of the weights. */
    public double[] toArray() {
        return values.clone();
    }

    /** Weighted sum of a pointwise row. */
    public double score(double[] row) {
        double s = 0;
        for (int i = 0; i < values.length; i++) {
            s += values[i] * row[i];
        }
        return s;
    }

    /** Lowest possible score over rows in [0, 1]. */
    public double min() {
        return Arrays.stream(values).map(v -> Math.min(0, v)).sum();
    }

    /** Highest possible score over rows in [0, 1]. */
    public double max() {
        return Arrays.stream(values).map(v -> Math.max(0, v)).sum();
    }

    /** The score's position in [min, max], in [0, 1] (0.5 when all weights are 0). */
    public double unit(double score) {
        double lo = min();
        double hi = max();
        return hi > lo ? (score - lo) / (hi - lo) : 0.5;
    }

    /** The text form, full precision, every column. */
    public String format() {
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < values.length; i++) {
            j.add(Features.POINTWISE_COLUMNS.get(i) + "=" + String.format(Locale.ROOT, "%.17g", values[i])
                    .replaceAll("0+$", "").replaceAll("\\.$", ".0"));
        }
        return j.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnedWeights w && Arrays.equals(values, w.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return format();
    }
}
