package io.wdrf.engine;

import io.wdrf.api.PriorityDecision;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import io.wdrf.kueue.InMemoryCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciler forgets ledger entries by walking what left the pending list since the last cycle instead of
 * retaining the ledger against every pending workload: after every cycle of a random sequence (submissions,
 * deletions, admissions, finishes, evictions, external overwrites, clock steps) the ledger holds exactly what the
 * from-scratch {@code retain(pending)} would leave: nothing that is not pending now, and every entry of the last cycle
 * whose workload is still pending (with a new object or not), plus this cycle's writes. The report's fair shares,
 * computed when first read, equal those of a fresh evaluation, and its admitted count, kept from cycle to cycle, a
 * count of the snapshot.
 */
class ReconcilerLedgerPropertyTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void ledgerEqualsARetainOverThePendingWorkloads(long seed) {
        Random rnd = new Random(seed);
        RandomReconcileScenario scenario = new RandomReconcileScenario(true);
        InMemoryCluster cluster = scenario.cluster;
        ManualClock clock = scenario.clock;
        WdrfEngine engine = scenario.engine;
        ReconcilerSettings settings = ReconcilerSettings.builder().minDelta(0).maxWritesPerCycle(1 + rnd.nextInt(6)).build();
        Reconciler r = Reconciler.builder(cluster, cluster, engine).settings(settings).build();
        Set<WorkloadId> before = Set.of();
        int shrank = 0;
        int maxSize = 0;
        for (int step = 0; step < 80; step++) {
            scenario.change(rnd.nextInt(8), rnd);
            clock.advance(Duration.ofSeconds(rnd.nextInt(3) * 600L));
            CycleReport rep = r.runOnce();
            assertThat(rep.ok()).as(rep.error()).isTrue();
            Set<WorkloadId> pending = new HashSet<>();
            for (PriorityDecision d : rep.plan().decisions()) {
                pending.add(d.workloadId());
            }
            Set<WorkloadId> ledger = r.ledgerIds();
            // the admitted count, kept from cycle to cycle, equals a count of the snapshot (writes change no phase)
            assertThat(rep.admitted()).isEqualTo((int) cluster.snapshot().workloads().stream()
                    .filter(w -> w.phase() == io.wdrf.api.Phase.ADMITTED).count());
            // the report's fair shares (computed when read) are those of the cycle's context; priorities do not enter
            WdrfEngine fresh = WdrfEngine.builder().config(engine.config()).clock(clock).build();
            assertThat(rep.fairShares()).isEqualTo(FairShares.of(fresh.evaluate(cluster.snapshot()).context()));
            assertThat(pending).as("step %d: only pending workloads keep entries", step).containsAll(ledger);
            for (WorkloadId id : before) {
                if (pending.contains(id)) {
                    assertThat(ledger).as("step %d: %s is still pending", step, id).contains(id);
                }
            }
            if (rep.writeResult() != null) {
                for (WriteResult.Item item : rep.writeResult().items()) {
                    if (item.outcome() == WriteOutcome.WRITTEN) {
                        assertThat(ledger).as("step %d: written now", step).contains(item.workloadId());
                    }
                }
            }
            if (!before.stream().allMatch(ledger::contains)) {
                shrank++;
            }
            maxSize = Math.max(maxSize, ledger.size());
            before = ledger;
        }
        assertThat(maxSize).as("the sequence made ledger entries").isGreaterThan(2);
        assertThat(shrank).as("and workloads with entries left").isPositive();
    }
}
