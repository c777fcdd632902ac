package io.wdrf.engine;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.TenantState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Demand-aware weighted max-min fair shares: what a perfectly fair, work-conserving, infinitely divisible scheduler
 * would give each tenant right now, given every tenant's current demand (running + pending). It is the yardstick of
 * the fairness metrics (simulator and {@code wdrf_tenant_fair_share}); no policy uses it to decide.
 *
 * <p><b>One resource</b> ({@link #waterFill}): tenants t with weight w<sub>t</sub> &gt; 0 and demand
 * D<sub>t</sub> ≥ 0 share capacity C ≥ 0.
 * <pre>
 *   F_t(λ) = min(D_t, w_t · λ)
 *   F_t    = D_t                 when Σ D_t ≤ C        (every demand is met)
 *   F_t    = F_t(λ*)             otherwise, where λ* is the unique level with Σ_t F_t(λ*) = C
 * </pre>
 * Water-filling: the level λ rises; a tenant's share grows at rate w<sub>t</sub> until it reaches its demand, where it
 * freezes. So Σ F = min(C, Σ D), no tenant gets more than it asks for, and every tenant below its demand has the
 * same F/w = λ*, the largest F/w of all.
 *
 * <p><b>Several resources</b> ({@link #dominant}): tenant t demands the vector D<sub>t,r</sub>; resource r has
 * capacity C<sub>r</sub> &gt; 0 and weight ρ<sub>r</sub> ≥ 0. The tenant's dominant demand is
 * δ<sub>t</sub> = max<sub>r</sub> ρ<sub>r</sub>·D<sub>t,r</sub>/C<sub>r</sub>; it is granted the fraction
 * f<sub>t</sub> ∈ [0, 1] of its demand vector (the mix of what it asks for is kept), i.e. the dominant share
 * a<sub>t</sub> = f<sub>t</sub>·δ<sub>t</sub>. Progressive filling (the DRF paper's, with weights and demands):
 * <pre>
 *   a_t = min(δ_t, w_t · λ)      for every tenant not frozen, λ rising from 0
 *   t freezes when a_t = δ_t (demand met) or when a resource r with D_t,r &gt; 0 is full (Σ_u f_u · D_u,r = C_r)
 * </pre>
 * With a single resource and ρ = 1 this is exactly {@link #waterFill} (F = f·D). The result never exceeds any
 * capacity, never exceeds a demand, is invariant under permuting tenants and under scaling all weights by one
 * factor, and scales with the quantities (multiplying every demand and capacity of a resource by k multiplies the
 * allocations of that resource by k and leaves f unchanged). A tenant's share never decreases when only its weight
 * grows. Tenants with zero demand get 0. Weights must be positive; demands and capacities finite and non-negative.
 */
public final class FairShares {

    /** Relative tolerance for "demand met" and "resource full" while filling. */
    private static final double EPS = 1e-12;

    private FairShares() {
    }

    /**
     * Single-resource water-filling.
     *
     * @param demand   per tenant, ≥ 0
     * @param weights  per tenant, &gt; 0 (same length as {@code demand})
     * @param capacity ≥ 0
     * @return F per tenant (a new array), see the class comment
     * @throws IllegalArgumentException on mismatched lengths, a non-positive weight, or a negative or non-finite
     *                                  demand or capacity
     */
    public static double[] waterFill(double[] demand, double[] weights, double capacity) {
        check(demand.length == weights.length, "demand and weights differ in length");
        checkQuantity(capacity, "capacity", -1, -1);
        int n = demand.length;
        double total = 0;
        for (int t = 0; t < n; t++) {
            checkQuantity(demand[t], "demand of tenant", t, -1);
            checkWeight(weights[t], t);
            total += demand[t];
        }
        double[] out = new double[n];
        if (total <= capacity) {
            System.arraycopy(demand, 0, out, 0, n);
            return out;
        }
        // tenants in order of the level at which their demand is met (D/w), ties by index for determinism
        Integer[] order = new Integer[n];
        for (int t = 0; t < n; t++) {
            order[t] = t;
        }
        Arrays.sort(order, (x, y) -> {
            int c = Double.compare(demand[x] / weights[x], demand[y] / weights[y]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        double left = capacity;
        double activeWeight = 0;
        for (double w : weights) {
            activeWeight += w;
        }
        int i = 0;
        // satisfy tenants whose whole demand fits below the level that the remaining capacity would reach
        while (i < n && demand[order[i]] / weights[order[i]] * activeWeight <= left) {
            int t = order[i++];
            out[t] = demand[t];
            left -= demand[t];
            activeWeight -= weights[t];
        }
        double level = activeWeight > 0 ? Math.max(0, left) / activeWeight : 0;
        for (; i < n; i++) {
            int t = order[i];
            out[t] = Math.min(demand[t], weights[t] * level);
        }
        return out;
    }

    /**
     * Multi-resource progressive filling on dominant shares.
     *
     * @param demand          [tenant][resource], ≥ 0
     * @param weights         per tenant, &gt; 0
     * @param capacity        per resource, &gt; 0
     * @param resourceWeights per resource ρ ≥ 0 (a resource with ρ = 0 does not count towards the dominant share but
     *                        still limits the allocation); {@code null} means all 1
     * @return the fraction f of each tenant's demand vector it is granted (a new array; multiply by
     *         {@code demand[t]} for the allocation)
     */
    public static double[] dominant(double[][] demand, double[] weights, double[] capacity, double[] resourceWeights) {
        int n = demand.length;
        int m = capacity.length;
        check(weights.length == n, "demand and weights differ in length");
        check(resourceWeights == null || resourceWeights.length == m, "capacity and resourceWeights differ in length");
        for (int r = 0; r < m; r++) {
            checkQuantity(capacity[r], "capacity of resource", r, -1);
            if (!(capacity[r] > 0)) {
                check(false, "capacity of resource " + r + " must be positive");
            }
            if (resourceWeights != null) {
                checkQuantity(resourceWeights[r], "weight of resource", r, -1);
            }
        }
        double[] delta = new double[n];
        boolean[] frozen = new boolean[n];
        for (int t = 0; t < n; t++) {
            if (demand[t].length != m) {
                check(false, "demand of tenant " + t + " has " + demand[t].length + " resources, not " + m);
            }
            checkWeight(weights[t], t);
            for (int r = 0; r < m; r++) {
                checkQuantity(demand[t][r], "demand of tenant", t, r);
                double rho = resourceWeights == null ? 1.0 : resourceWeights[r];
                delta[t] = Math.max(delta[t], rho * demand[t][r] / capacity[r]);
            }
            // no dominant demand: nothing that counts is asked for, so nothing is granted
            frozen[t] = !(delta[t] > 0);
        }
        double[] used = new double[m];
        double[] level = new double[n]; // a_t / w_t at which t froze
        double lambda = 0;
        boolean[] full = new boolean[m];
        while (true) {
            double[] rate = new double[m];
            boolean any = false;
            for (int t = 0; t < n; t++) {
                if (!frozen[t]) {
                    any = true;
                    for (int r = 0; r < m; r++) {
                        rate[r] += weights[t] * demand[t][r] / delta[t];
                    }
                }
            }
            if (!any) {
                break;
            }
            double next = Double.POSITIVE_INFINITY;
            for (int t = 0; t < n; t++) {
                if (!frozen[t]) {
                    next = Math.min(next, delta[t] / weights[t]);
                }
            }
            for (int r = 0; r < m; r++) {
                if (rate[r] > 0) {
                    next = Math.min(next, lambda + Math.max(0, capacity[r] - used[r]) / rate[r]);
                }
            }
            double step = next - lambda;
            for (int r = 0; r < m; r++) {
                used[r] += rate[r] * step;
                if (used[r] >= capacity[r] * (1 - EPS)) {
                    full[r] = true;
                }
            }
            lambda = next;
            for (int t = 0; t < n; t++) {
                if (frozen[t]) {
                    continue;
                }
                boolean met = weights[t] * lambda >= delta[t] * (1 - EPS);
                boolean blocked = false;
                for (int r = 0; r < m && !blocked; r++) {
                    blocked = full[r] && demand[t][r] > 0;
                }
                if (met || blocked) {
                    frozen[t] = true;
                    level[t] = met ? delta[t] / weights[t] : lambda;
                }
            }
        }
        double[] f = new double[n];
        for (int t = 0; t < n; t++) {
            f[t] = delta[t] > 0 ? Math.min(1.0, weights[t] * level[t] / delta[t]) : 0.0;
        }
        return f;
    }

    /**
     * The fair dominant share of every tenant of one cycle, for the controller's {@code wdrf_tenant_fair_share}: demand
     * = admitted usage ({@link TenantState#usage()}) + the demand of its admissible pending workloads, over the
     * resources that count (resource weight ρ &gt; 0 and capacity &gt; 0, as for {@link TenantState#weightedDominantShare()});
     * the value is f<sub>t</sub>·δ<sub>t</sub> of {@link #dominant}, a fraction of the cluster (not divided by the
     * tenant's weight), so it compares with {@code weightedDominantShare × weight}.
     *
     * @return tenant → fair dominant share, sorted by tenant; every tenant of {@code context.tenants()}
     */
    public static Map<String, Double> of(PolicyContext context) {
        List<String> res = new ArrayList<>();
        for (String r : context.capacity().resources()) {
            if (context.config().resourceWeight(r) > 0 && context.capacity().get(r) > 0) {
                res.add(r);
            }
        }
        List<String> tenants = new ArrayList<>(context.tenants().keySet());
        int n = tenants.size();
        int m = res.size();
        // pending demand per tenant, summed in pending (id) order into arrays: the same sums as adding the vectors
        // (a resource a vector lacks adds 0), without a vector per workload and cycle
        Map<String, double[]> pending = new HashMap<>(n * 2);
        double[] acc = null;
        String accTenant = null;
        for (PendingWorkload p : context.pending()) {
            if (acc == null || (accTenant != p.tenant() && !accTenant.equals(p.tenant()))) {
                accTenant = p.tenant();
                acc = pending.computeIfAbsent(accTenant, k -> new double[m]);
            }
            ResourceVector d = p.demand();
            for (int r = 0; r < m; r++) {
                acc[r] += d.get(res.get(r));
            }
        }
        double[][] demand = new double[n][m];
        double[] weights = new double[n];
        double[] capacity = new double[m];
        double[] rho = new double[m];
        for (int r = 0; r < m; r++) {
            capacity[r] = context.capacity().get(res.get(r));
            rho[r] = context.config().resourceWeight(res.get(r));
        }
        double[] none = new double[m];
        for (int t = 0; t < n; t++) {
            TenantState st = context.tenants().get(tenants.get(t));
            weights[t] = st.weight();
            double[] p = pending.getOrDefault(st.name(), none);
            for (int r = 0; r < m; r++) {
                demand[t][r] = Math.max(0, st.usage().get(res.get(r))) + Math.max(0, p[r]);
            }
        }
        Map<String, Double> out = new TreeMap<>();
        if (m == 0) {
            tenants.forEach(t -> out.put(t, 0.0));
            return Collections.unmodifiableMap(out);
        }
        double[] f = dominant(demand, weights, capacity, rho);
        for (int t = 0; t < n; t++) {
            double delta = 0;
            for (int r = 0; r < m; r++) {
                delta = Math.max(delta, rho[r] * demand[t][r] / capacity[r]);
            }
            out.put(tenants.get(t), f[t] * delta);
        }
        return Collections.unmodifiableMap(out);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("fair shares: " + message);
        }
    }

    /** {@code what} [index] [for resource r]: the message is built only when the check fails (it runs per value). */
    private static void checkQuantity(double v, String what, int index, int resource) {
        if (!(Double.isFinite(v) && v >= 0)) {
            check(false, what + (index >= 0 ? " " + index : "") + (resource >= 0 ? " for resource " + resource : "")
                    + " must be finite and non-negative, got " + v);
        }
    }

    private static void checkWeight(double w, int t) {
        if (!(Double.isFinite(w) && w > 0)) {
            check(false, "weight of tenant " + t + " must be positive, got " + w);
        }
    }
}
