package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PolicyConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@link FairShares} against hand-computed cases, and its properties over random inputs (fixed seeds). */
class FairSharesTest {

    private static final int CASES = 2000;
    private static final double TOL = 1e-9;

    // ------------------------------------------------------------------ single resource, by hand

    @Test
    void everyDemandIsMetWhenItFits() {
        assertThat(FairShares.waterFill(new double[] {1, 2, 0}, new double[] {1, 5, 1}, 10)).containsExactly(1, 2, 0);
    }

    @Test
    void theSmallDemandIsMetAndTheRestSplitEqually() {
        // C = 10: the level 10/3 exceeds 2, so the first tenant gets 2; the remaining 8 split 4 + 4
        assertThat(FairShares.waterFill(new double[] {2, 8, 8}, new double[] {1, 1, 1}, 10))
                .containsExactly(new double[] {2, 4, 4}, within(TOL));
    }

    @Test
    void weightsSplitInProportion() {
        // both demands exceed the share: level 12 / 3 = 4 -> 2·4 and 1·4
        assertThat(FairShares.waterFill(new double[] {10, 10}, new double[] {2, 1}, 12))
                .containsExactly(new double[] {8, 4}, within(TOL));
        // the light tenant (weight 1, demand 5) is met first: 5 · 9 ≤ 50; the heavy one takes the other 45
        assertThat(FairShares.waterFill(new double[] {100, 5}, new double[] {8, 1}, 50))
                .containsExactly(new double[] {45, 5}, within(TOL));
    }

    @Test
    void zeroDemandGetsNothingAndZeroCapacityGivesNothing() {
        assertThat(FairShares.waterFill(new double[] {0, 10}, new double[] {1, 1}, 5)).containsExactly(0, 5);
        assertThat(FairShares.waterFill(new double[] {3, 10}, new double[] {1, 1}, 0)).containsExactly(0, 0);
        assertThat(FairShares.waterFill(new double[0], new double[0], 5)).isEmpty();
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> FairShares.waterFill(new double[] {1}, new double[] {0}, 1))
                .hasMessageContaining("weight of tenant 0 must be positive");
        assertThatThrownBy(() -> FairShares.waterFill(new double[] {-1}, new double[] {1}, 1))
                .hasMessageContaining("demand of tenant 0");
        assertThatThrownBy(() -> FairShares.waterFill(new double[] {1}, new double[] {1}, Double.NaN))
                .hasMessageContaining("capacity");
        assertThatThrownBy(() -> FairShares.waterFill(new double[] {1, 2}, new double[] {1}, 1))
                .hasMessageContaining("length");
        assertThatThrownBy(() -> FairShares.dominant(new double[][] {{1}}, new double[] {1}, new double[] {0}, null))
                .hasMessageContaining("capacity of resource 0 must be positive");
    }

    // ------------------------------------------------------------------ several resources, by hand

    @Test
    void theDrfPaperExample() {
        // 9 CPU, 18 GB; A asks <1 CPU, 4 GB> per task, B <3 CPU, 1 GB>, both for many tasks (here 100 / 100).
        // δ_A = 400/18, δ_B = 300/9; at dominant share λ, CPU use is 4.5λ + 9λ -> full at λ = 2/3, both freeze:
        // A gets 3 CPU + 12 GB (3 tasks), B 6 CPU + 2 GB (2 tasks), the paper's allocation.
        double[][] d = {{100, 400}, {300, 100}};
        double[] f = FairShares.dominant(d, new double[] {1, 1}, new double[] {9, 18}, null);
        assertThat(f[0] * d[0][0]).isCloseTo(3, within(TOL));
        assertThat(f[0] * d[0][1]).isCloseTo(12, within(TOL));
        assertThat(f[1] * d[1][0]).isCloseTo(6, within(TOL));
        assertThat(f[1] * d[1][1]).isCloseTo(2, within(TOL));
    }

    @Test
    void aTenantKeepsFillingAfterOthersAreBlocked() {
        // CPU 10, GPU 10. A wants CPU only (100), B GPU only (100), C 2 GPUs.
        // λ = 0.2: C met (GPU 4 used: 2 by B, 2 by C). λ = 0.8: GPU full, B stops at 8. A goes on until CPU is full.
        double[][] d = {{100, 0}, {0, 100}, {0, 2}};
        double[] f = FairShares.dominant(d, new double[] {1, 1, 1}, new double[] {10, 10}, null);
        assertThat(f).containsExactly(new double[] {0.1, 0.08, 1.0}, within(TOL));
    }

    @Test
    void aResourceWithWeightZeroDoesNotCountButStillLimits() {
        // memory (ρ = 0) is not part of the dominant share: A (CPU 5, memory 1) and B (CPU 5) are equal on CPU
        double[][] d = {{5, 1}, {5, 0}};
        double[] f = FairShares.dominant(d, new double[] {1, 1}, new double[] {4, 100}, new double[] {1, 0});
        assertThat(f).containsExactly(new double[] {0.4, 0.4}, within(TOL));
        // memory 0.5 of 1 asked: memory fills first and freezes A at half its demand; B takes the CPU left
        f = FairShares.dominant(d, new double[] {1, 1}, new double[] {10, 0.5}, new double[] {1, 0});
        assertThat(f[0]).isCloseTo(0.5, within(TOL));
        assertThat(f[1]).isCloseTo(1.0, within(TOL));
    }

    @Test
    void ofAPolicyContextCountsAdmittedUsagePlusPendingDemand() {
        // the DRF paper on a 9 CPU / 18 Gi ClusterQueue: A's tasks <1 CPU, 4 Gi>, B's <3 CPU, 1 Gi>, five each
        // pending: both fair dominant shares are 2/3 (CPU fills first), whatever has been admitted
        ClusterSnapshot.Builder b = Fixtures.snapshot();
        for (int i = 0; i < 5; i++) {
            b.workload(i == 0 ? Fixtures.admitted("a", "a-" + i, "1", "4Gi") : Fixtures.pending("a", "a-" + i,
                    Fixtures.T0, "1", "4Gi"));
            b.workload(Fixtures.pending("b", "b-" + i, Fixtures.T0, "3", "1Gi"));
        }
        PolicyConfig config = PolicyConfig.builder().capacitySource("quota").build();
        Evaluation ev = WdrfEngine.builder().config(config).build().evaluate(b.build(), Fixtures.T0);
        Map<String, Double> fair = FairShares.of(ev.context());
        assertThat(fair).containsOnlyKeys("a", "b");
        assertThat(fair.get("a")).isCloseTo(2.0 / 3, within(TOL));
        assertThat(fair.get("b")).isCloseTo(2.0 / 3, within(TOL));
        // a small demand is met in full: one pending B task <3 CPU, 1 Gi> -> δ_B = 1/3; A gets the rest of the CPU
        ClusterSnapshot small = Fixtures.snapshot().workload(Fixtures.pending("b", "b-0", Fixtures.T0, "3", "1Gi"))
                .workload(Fixtures.pending("a", "a-0", Fixtures.T0, "10", "1Gi")).build();
        fair = FairShares.of(WdrfEngine.builder().config(config).build().evaluate(small, Fixtures.T0).context());
        assertThat(fair.get("b")).isCloseTo(1.0 / 3, within(TOL));
        assertThat(fair.get("a")).isCloseTo(6.0 / 9, within(TOL));
        // memory weighted out: only CPU counts, A (weight 2) gets twice B's share of it
        PolicyConfig weighted = config.toBuilder().tenantWeights(Map.of("a", 2.0)).resourceWeights(Map.of("memory", 0.0))
                .build();
        fair = FairShares.of(WdrfEngine.builder().config(weighted).build().evaluate(b.build(), Fixtures.T0).context());
        assertThat(fair.get("a")).isCloseTo(5.0 / 9, within(TOL)); // A's whole demand (5 CPU) is below 2/3 · 9
        assertThat(fair.get("b")).isCloseTo(4.0 / 9, within(TOL));
    }

    // ------------------------------------------------------------------ properties

    private static double[] randomDemand(Random rnd, int n) {
        double[] d = new double[n];
        for (int t = 0; t < n; t++) {
            d[t] = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(64) : rnd.nextDouble() * 100;
        }
        return d;
    }

    private static double[] randomWeights(Random rnd, int n) {
        double[] w = new double[n];
        for (int t = 0; t < n; t++) {
            w[t] = rnd.nextBoolean() ? 1 + rnd.nextInt(8) : 0.1 + rnd.nextDouble() * 5;
        }
        return w;
    }

    @Test
    void waterFillIsWithinCapacityAndDemandAndWorkConserving() {
        Random rnd = new Random(11);
        for (int i = 0; i < CASES; i++) {
            int n = rnd.nextInt(12);
            double[] d = randomDemand(rnd, n);
            double[] w = randomWeights(rnd, n);
            double c = rnd.nextDouble() * 300;
            double[] f = FairShares.waterFill(d, w, c);
            double sum = 0;
            double total = 0;
            for (int t = 0; t < n; t++) {
                assertThat(f[t]).isBetween(0.0, d[t] + TOL);
                sum += f[t];
                total += d[t];
            }
            assertThat(sum).as("case %d", i).isLessThanOrEqualTo(c + TOL * (1 + c));
            assertThat(sum).as("case %d: work conserving", i).isCloseTo(Math.min(c, total), within(1e-7 * (1 + c)));
        }
    }

    @Test
    void waterFillIsMaxMin() {
        // every tenant held below its demand has the same F/w, and no tenant has a larger F/w
        Random rnd = new Random(12);
        for (int i = 0; i < CASES; i++) {
            int n = 1 + rnd.nextInt(10);
            double[] d = randomDemand(rnd, n);
            double[] w = randomWeights(rnd, n);
            double[] f = FairShares.waterFill(d, w, rnd.nextDouble() * 200);
            double maxLevel = 0;
            for (int t = 0; t < n; t++) {
                maxLevel = Math.max(maxLevel, f[t] / w[t]);
            }
            for (int t = 0; t < n; t++) {
                if (f[t] < d[t] - 1e-9) {
                    assertThat(f[t] / w[t]).as("case %d tenant %d", i, t).isCloseTo(maxLevel, within(1e-7));
                }
            }
        }
    }

    @Test
    void waterFillIsInvariantUnderPermutationAndScaling() {
        Random rnd = new Random(13);
        for (int i = 0; i < CASES; i++) {
            int n = 1 + rnd.nextInt(10);
            double[] d = randomDemand(rnd, n);
            double[] w = randomWeights(rnd, n);
            double c = rnd.nextDouble() * 200;
            double[] f = FairShares.waterFill(d, w, c);
            int[] perm = permutation(rnd, n);
            double[] pd = new double[n];
            double[] pw = new double[n];
            for (int t = 0; t < n; t++) {
                pd[t] = d[perm[t]];
                pw[t] = w[perm[t]];
            }
            double[] pf = FairShares.waterFill(pd, pw, c);
            double k = Math.pow(10, rnd.nextInt(7) - 3);
            double[] sd = new double[n];
            double[] sw = new double[n];
            for (int t = 0; t < n; t++) {
                sd[t] = d[t] * k;
                sw[t] = w[t] * k;
            }
            double[] sf = FairShares.waterFill(sd, w, c * k);
            double[] wf = FairShares.waterFill(d, sw, c);
            for (int t = 0; t < n; t++) {
                assertThat(pf[t]).as("permutation").isCloseTo(f[perm[t]], within(1e-9 * (1 + c)));
                assertThat(sf[t]).as("quantities × %s", k).isCloseTo(f[t] * k, within(1e-9 * (1 + c) * k));
                assertThat(wf[t]).as("weights × %s", k).isCloseTo(f[t], within(1e-9 * (1 + c)));
            }
        }
    }

    @Test
    void waterFillShareNeverFallsWhenOnlyTheTenantsWeightGrows() {
        Random rnd = new Random(14);
        for (int i = 0; i < CASES; i++) {
            int n = 1 + rnd.nextInt(10);
            double[] d = randomDemand(rnd, n);
            double[] w = randomWeights(rnd, n);
            double c = rnd.nextDouble() * 200;
            int t = rnd.nextInt(n);
            double before = FairShares.waterFill(d, w, c)[t];
            double[] heavier = w.clone();
            heavier[t] *= 1 + rnd.nextDouble() * 4;
            double[] after = FairShares.waterFill(d, heavier, c);
            assertThat(after[t]).as("case %d", i).isGreaterThanOrEqualTo(before - 1e-9);
            for (int u = 0; u < n; u++) {
                if (u != t) {
                    assertThat(after[u]).as("others never gain").isLessThanOrEqualTo(FairShares.waterFill(d, w, c)[u] + 1e-9);
                }
            }
        }
    }

    @Test
    void dominantWithOneResourceIsWaterFill() {
        Random rnd = new Random(15);
        for (int i = 0; i < CASES; i++) {
            int n = 1 + rnd.nextInt(10);
            double[] d = randomDemand(rnd, n);
            double[] w = randomWeights(rnd, n);
            double c = 0.5 + rnd.nextDouble() * 200;
            double[] expected = FairShares.waterFill(d, w, c);
            double[][] dm = new double[n][];
            for (int t = 0; t < n; t++) {
                dm[t] = new double[] {d[t]};
            }
            double[] f = FairShares.dominant(dm, w, new double[] {c}, null);
            for (int t = 0; t < n; t++) {
                assertThat(f[t] * d[t]).as("case %d tenant %d", i, t).isCloseTo(expected[t], within(1e-7 * (1 + c)));
            }
        }
    }

    @Test
    void dominantRespectsCapacityDemandPermutationAndScaling() {
        Random rnd = new Random(16);
        for (int i = 0; i < CASES; i++) {
            int n = 1 + rnd.nextInt(8);
            int m = 1 + rnd.nextInt(4);
            double[][] d = new double[n][];
            for (int t = 0; t < n; t++) {
                d[t] = randomDemand(rnd, m);
            }
            double[] w = randomWeights(rnd, n);
            double[] c = new double[m];
            double[] rho = new double[m];
            for (int r = 0; r < m; r++) {
                c[r] = 1 + rnd.nextDouble() * 150;
                rho[r] = rnd.nextInt(5) == 0 ? 0 : 0.5 + rnd.nextDouble();
            }
            double[] f = FairShares.dominant(d, w, c, rho);
            for (int r = 0; r < m; r++) {
                double used = 0;
                for (int t = 0; t < n; t++) {
                    used += f[t] * d[t][r];
                }
                assertThat(used).as("case %d resource %d", i, r).isLessThanOrEqualTo(c[r] * (1 + 1e-9));
            }
            for (int t = 0; t < n; t++) {
                assertThat(f[t]).isBetween(0.0, 1.0);
            }
            int[] perm = permutation(rnd, n);
            double[][] pd = new double[n][];
            double[] pw = new double[n];
            for (int t = 0; t < n; t++) {
                pd[t] = d[perm[t]];
                pw[t] = w[perm[t]];
            }
            double[] pf = FairShares.dominant(pd, pw, c, rho);
            // scale one resource's demands and capacity by k: fractions unchanged
            int r0 = rnd.nextInt(m);
            double k = Math.pow(10, rnd.nextInt(7) - 3);
            double[][] sd = new double[n][];
            for (int t = 0; t < n; t++) {
                sd[t] = d[t].clone();
                sd[t][r0] *= k;
            }
            double[] sc = c.clone();
            sc[r0] *= k;
            double[] sf = FairShares.dominant(sd, w, sc, rho);
            for (int t = 0; t < n; t++) {
                assertThat(pf[t]).as("case %d permutation", i).isCloseTo(f[perm[t]], within(1e-9));
                assertThat(sf[t]).as("case %d resource %d × %s", i, r0, k).isCloseTo(f[t], within(1e-9));
            }
        }
    }

    private static int[] permutation(Random rnd, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int x = p[i];
            p[i] = p[j];
            p[j] = x;
        }
        return p;
    }
}
