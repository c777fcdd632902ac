package io.wdrf.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;

/**
 * An immutable map from resource name to a non-negative {@code double} amount in base units (cores, bytes,
 * counts, GPU fractions).
 *
 * <p>Promises: resource names are iterated in ascending lexicographic order (never hash order); a missing
 * resource reads as {@code 0}; zero amounts are not stored, so two vectors with the same non-zero amounts are
 * {@link #equals(Object) equal}; arithmetic returns new vectors and never mutates.
 */
public final class ResourceVector {

    private static final ResourceVector EMPTY = new ResourceVector(new String[0], new double[0]);

    private final String[] names;
    private final double[] amounts;

    private ResourceVector(String[] names, double[] amounts) {
        this.names = names;
        this.amounts = amounts;
    }

    /** The vector with no resources. */
    public static ResourceVector empty() {
        return EMPTY;
    }

    /** A vector with one resource. */
    public static ResourceVector of(String name, double amount) {
        return of(Map.of(name, amount));
    }

    /**
     * A vector from a map; zero entries are dropped.
     *
     * @throws IllegalArgumentException when an amount is negative, NaN or infinite
     */
    public static ResourceVector of(Map<String, Double> amounts) {
        TreeMap<String, Double> sorted = new TreeMap<>();
        for (Map.Entry<String, Double> e : amounts.entrySet()) {
            double v = e.getValue();
            check(e.getKey(), v);
            if (v != 0.0) {
                sorted.put(Objects.requireNonNull(e.getKey(), "resource name"), v);
            }
        }
        return fromSorted(sorted);
    }

    private static void check(String name, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
            throw new IllegalArgumentException("resource '" + shown(name) + "' has invalid amount " + v
                    + " (must be finite and non-negative)");
        }
    }

    /** A resource name (user data: a container's request key) for a message: control characters escaped, cut at 64. */
    private static String shown(String name) {
        String n = name == null ? "null" : name.length() > 64 ? name.substring(0, 64) + "..." : name;
        StringBuilder b = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static ResourceVector fromSorted(TreeMap<String, Double> sorted) {
        if (sorted.isEmpty()) {
            return EMPTY;
        }
        String[] n = new String[sorted.size()];
        double[] a = new double[sorted.size()];
        int i = 0;
        for (Map.Entry<String, Double> e : sorted.entrySet()) {
            n[i] = e.getKey();
            a[i] = e.getValue();
            i++;
        }
        return new ResourceVector(n, a);
    }

    /** The amount of {@code resource}, or 0 when absent. */
    public double get(String resource) {
        int i = Arrays.binarySearch(names, resource);
        return i >= 0 ? amounts[i] : 0.0;
    }

    /** The resources with a non-zero amount, ascending. */
    public Set<String> resources() {
        return asMap().keySet();
    }

    /** True when no resource has a non-zero amount. */
    public boolean isEmpty() {
        return names.length == 0;
    }

    /** An unmodifiable, ascending-ordered view of the non-zero amounts. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], amounts[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Element-wise sum. */
    public ResourceVector plus(ResourceVector other) {
        return combine(other, Double::sum);
    }

    /** Element-wise difference, floored at zero. */
    public ResourceVector minusFloorZero(ResourceVector other) {
        return combine(other, (a, b) -> Math.max(0.0, a - b));
    }

    /** Element-wise maximum. */
    public ResourceVector max(ResourceVector other) {
        return combine(other, Math::max);
    }

    /**
     * Every amount multiplied by {@code factor}.
     *
     * @throws IllegalArgumentException when factor is negative or not finite
     */
    public ResourceVector times(double factor) {
        check("*factor*", factor);
        if (factor == 0.0) {
            return EMPTY;
        }
        double[] a = new double[amounts.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = amounts[i] * factor;
        }
        return new ResourceVector(names, a);
    }

    /** This vector without {@code resource}. */
    public ResourceVector without(String resource) {
        int i = Arrays.binarySearch(names, resource);
        if (i < 0) {
            return this;
        }
        TreeMap<String, Double> m = new TreeMap<>(asMap());
        m.remove(resource);
        return fromSorted(m);
    }

    /** This vector with {@code resource} set to {@code amount} (0 removes it). */
    public ResourceVector with(String resource, double amount) {
        check(resource, amount);
        TreeMap<String, Double> m = new TreeMap<>(asMap());
        if (amount == 0.0) {
            m.remove(resource);
        } else {
            m.put(resource, amount);
        }
        return fromSorted(m);
    }

    /** True when every amount of this vector is at most the matching amount of {@code limit} (+ a relative epsilon). */
    public boolean fitsIn(ResourceVector limit) {
        for (int i = 0; i < names.length; i++) {
            double cap = limit.get(names[i]);
            if (amounts[i] > cap + 1e-9 * Math.max(1.0, cap)) {
                return false;
            }
        }
        return true;
    }

    /**
     * An accumulator for a sum of many vectors. Promises: {@link #result()} equals folding {@link #plus} over the
     * added vectors in the order they were added (each resource summed in that order, so bit for bit), without a
     * vector per step; vectors of the same resources are added in place. Not thread-safe; the results it returns are
     * immutable vectors like any other.
     */
    public static final class Sum {
        private String[] names = new String[0];
        private double[] amounts = new double[0];
        /** True while {@link #amounts} is shared with a result (the next addition copies it first). */
        private boolean shared;

        /** Adds {@code v} to the sum. */
        public void add(ResourceVector v) {
            if (v.names.length == 0) {
                return;
            }
            if (v.names == names || Arrays.equals(v.names, names)) {
                if (shared) {
                    amounts = amounts.clone();
                    shared = false;
                }
                for (int i = 0; i < amounts.length; i++) {
                    amounts[i] += v.amounts[i];
                }
                return;
            }
            ResourceVector merged = new ResourceVector(names, amounts).plus(v);
            names = merged.names;
            amounts = merged.amounts;
            shared = true; // the merged vector's own array: copied before it is changed
        }

        /** The sum so far (the empty vector when nothing non-empty was added). */
        public ResourceVector result() {
            if (names.length == 0) {
                return EMPTY;
            }
            shared = true;
            return new ResourceVector(names, amounts);
        }
    }

    private ResourceVector combine(ResourceVector other, DoubleBinaryOperator op) {
        if (other.names.length == 0 && this.names.length == 0) {
            return EMPTY;
        }
        // both name arrays are sorted: one merge into arrays (a vector is summed once per admitted workload and
        // cycle, so no map per operation); names shared when the result has exactly this vector's or the other's
        String[] n = new String[names.length + other.names.length];
        double[] a = new double[n.length];
        int k = 0;
        int i = 0;
        int j = 0;
        while (i < names.length || j < other.names.length) {
            int c = i >= names.length ? 1 : j >= other.names.length ? -1
                    : names[i] == other.names[j] ? 0 : names[i].compareTo(other.names[j]);
            String name;
            double r;
            if (c == 0) {
                name = names[i];
                r = op.applyAsDouble(amounts[i++], other.amounts[j++]);
            } else if (c < 0) {
                name = names[i];
                r = op.applyAsDouble(amounts[i++], 0.0);
            } else {
                name = other.names[j];
                r = op.applyAsDouble(0.0, other.amounts[j++]);
            }
            if (r != 0.0) {
                n[k] = name;
                a[k++] = r;
            }
        }
        if (k == 0) {
            return EMPTY;
        }
        String[] shared = k == names.length && Arrays.equals(names, 0, k, n, 0, k) ? names
                : k == other.names.length && Arrays.equals(other.names, 0, k, n, 0, k) ? other.names
                : Arrays.copyOf(n, k);
        return new ResourceVector(shared, k == a.length ? a : Arrays.copyOf(a, k));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceVector v && Arrays.equals(names, v.names) && Arrays.equals(amounts, v.amounts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(amounts);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(names[i]).append('=').append(amounts[i]);
        }
        return b.append('}').toString();
    }
}
