package io.wdrf.kueue;

/**
 * A (flavor, resource) pair: the unit of quota accounting (Kueue {@code resources.FlavorResource}).
 */
record FlavorResource(String flavor, String resource) implements Comparable<FlavorResource> {
    @Override
    public int compareTo(FlavorResource o) {
        int c = flavor.compareTo(o.flavor);
        return c != 0 ? c : resource.compareTo(o.resource);
    }

    @Override
    public String toString() {
        return resource + " in flavor " + flavor;
    }

    /** True when {@code amount} is above {@code limit}, with a relative tolerance for summed doubles. */
    static boolean exceeds(double amount, double limit) {
        return amount > limit + 1e-9 * Math.max(1.0, Math.abs(limit));
    }
}
