package io.wdrf.engine;

import io.wdrf.api.PolicyConfig;
import io.wdrf.api.ResourceVector;

import java.util.ArrayList;
import java.util.List;

/**
 * Dominant-share arithmetic over the resources that count: resource weight ρ &gt; 0 and capacity &gt; 0.
 * Works on dense arrays of normalised usage ({@code ρ_r · U_r / C_r}) so progressive filling over 100k workloads
 * stays allocation-free per step.
 */
final class Shares {

    record Dominant(double share, String resource) {
    }

    private final String[] resources;
    private final double[] scale;

    Shares(PolicyConfig config, ResourceVector capacity) {
        List<String> names = new ArrayList<>();
        List<Double> factors = new ArrayList<>();
        for (String r : capacity.resources()) {
            double rho = config.resourceWeight(r);
            double c = capacity.get(r);
            if (rho > 0 && c > 0) {
                names.add(r);
                factors.add(rho / c);
            }
        }
        resources = names.toArray(new String[0]);
        scale = new double[resources.length];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = factors.get(i);
        }
    }

    double[] normalized(ResourceVector v) {
        double[] out = new double[resources.length];
        addInPlace(out, v);
        return out;
    }

    void addInPlace(double[] acc, ResourceVector v) {
        for (int i = 0; i < resources.length; i++) {
            acc[i] += v.get(resources[i]) * scale[i];
        }
    }

    /** The normalised vector's entries, in the order {@link #addInPlace} adds them (for caching per workload). */
    double[] terms(ResourceVector v) {
        double[] out = new double[resources.length];
        for (int i = 0; i < resources.length; i++) {
            out[i] = v.get(resources[i]) * scale[i];
        }
        return out;
    }

    /** {@code acc += terms}: the same sums as {@link #addInPlace} with the vector the terms came from. */
    static void addTerms(double[] acc, double[] terms) {
        for (int i = 0; i < terms.length; i++) {
            acc[i] += terms[i];
        }
    }

    /** {@code dominant(normalized).share()} without allocating. */
    static double dominantShare(double[] normalized) {
        double best = 0.0;
        for (double v : normalized) {
            if (v > best) {
                best = v;
            }
        }
        return best;
    }

    /** The maximum entry; ties go to the lexicographically smallest resource (resources are sorted). */
    Dominant dominant(double[] normalized) {
        double best = 0.0;
        String res = "";
        for (int i = 0; i < normalized.length; i++) {
            if (normalized[i] > best) {
                best = normalized[i];
                res = resources[i];
            }
        }
        return new Dominant(best, res);
    }
}
