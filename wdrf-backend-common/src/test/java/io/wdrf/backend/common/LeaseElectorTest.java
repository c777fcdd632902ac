package io.wdrf.backend.common;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared Lease elector on a simulated Lease store and a simulated monotonic ticker: the write fence closes before
 * anyone else can hold the Lease whatever the schedule (pauses, partitions, slow requests, clock skew).
 */
class LeaseElectorTest {

    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration RENEW = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    /** One Lease with a resourceVersion, as the API server keeps it. */
    static final class Store {
        LeaseElector.Record lease;
        long rv;
        final List<String> holders = new ArrayList<>();

        synchronized LeaseElector.Record get() {
            return lease;
        }

        synchronized LeaseElector.Record create(LeaseElector.Record r) {
            if (lease != null) {
                return null;
            }
            return put(r);
        }

        synchronized LeaseElector.Record update(LeaseElector.Record r) {
            if (lease == null || !lease.resourceVersion().equals(r.resourceVersion())) {
                return null;
            }
            return put(r);
        }

        private LeaseElector.Record put(LeaseElector.Record r) {
            lease = new LeaseElector.Record(r.holder(), r.leaseDurationSeconds(), r.acquireTime(), r.renewTime(),
                    r.transitions(), Long.toString(++rv));
            holders.add(r.holder());
            return lease;
        }

        synchronized String holder() {
            return lease == null ? "" : lease.holder();
        }
    }

    /** One candidate's view of the store: can be cut off, and each request can take simulated time. */
    static final class Link implements LeaseElector.LeaseClient {
        final Store store;
        final AtomicLong ticker;
        volatile boolean partitioned;
        volatile long latencyNanos;

        Link(Store store, AtomicLong ticker) {
            this.store = store;
            this.ticker = ticker;
        }

        private void travel() throws Exception {
            if (partitioned) {
                throw new java.io.IOException("connection refused (partition)");
            }
            ticker.addAndGet(latencyNanos);
        }

        @Override
        public LeaseElector.Record get() throws Exception {
            travel();
            return store.get();
        }

        @Override
        public LeaseElector.Record create(LeaseElector.Record r) throws Exception {
            travel();
            return store.create(r);
        }

        @Override
        public LeaseElector.Record update(LeaseElector.Record r) throws Exception {
            travel();
            return store.update(r);
        }
    }

    private static Clock skewed(AtomicLong ticker, Duration skew) {
        return new Clock() {
            @Override
            public Instant instant() {
                return T0.plus(skew).plusNanos(ticker.get());
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    private static LeaseElector elector(Link link, String id, AtomicLong ticker, Duration skew) {
        return new LeaseElector(link, "wdrf/wdrf-leader", id, LEASE, RENEW, RETRY, skewed(ticker, skew), ticker::get);
    }

    private static void advance(AtomicLong ticker, Duration d) {
        ticker.addAndGet(d.toNanos());
    }

    @Test
    void aHealthyLeaderIsNotDeposedByAStandbyWhoseClockIs30SecondsAhead() {
        Store store = new Store();
        AtomicLong ticker = new AtomicLong();
        LeaseElector a = elector(new Link(store, ticker), "a", ticker, Duration.ofSeconds(-30));
        LeaseElector b = elector(new Link(store, ticker), "b", ticker, Duration.ofSeconds(30));
        a.bind(() -> { }, () -> { });
        b.bind(() -> { }, () -> { });
        a.tick();
        assertThat(a.mayWrite()).isTrue();
        for (int i = 0; i < 100; i++) {
            advance(ticker, RETRY);
            a.tick();
            b.tick();
            assertThat(b.isLeader()).as("round %d", i).isFalse();
            assertThat(a.mayWrite()).isTrue();
        }
        assertThat(store.holders).containsOnly("a");
    }

    @Test
    void theFenceClosesWhenTheProcessIsFrozenAndTheStandbyWaitsAFullLease() {
        Store store = new Store();
        AtomicLong ticker = new AtomicLong();
        AtomicInteger aStopped = new AtomicInteger();
        LeaseElector a = elector(new Link(store, ticker), "a", ticker, Duration.ZERO);
        LeaseElector b = elector(new Link(store, ticker), "b", ticker, Duration.ZERO);
        a.bind(() -> { }, aStopped::incrementAndGet);
        b.bind(() -> { }, () -> { });
        a.tick();
        b.tick(); // b observes a's record now
        // a is frozen (SIGSTOP): it neither ticks nor runs its watchdog; time passes
        advance(ticker, RENEW.minusMillis(1));
        assertThat(a.mayWrite()).isTrue();
        advance(ticker, Duration.ofMillis(1));
        assertThat(a.mayWrite()).as("fence closed at the renew deadline without any tick").isFalse();
        assertThat(a.isLeader()).as("still thinks it leads: only the fence protects the writes").isTrue();
        b.tick();
        assertThat(b.isLeader()).isFalse();
        advance(ticker, LEASE.minus(RENEW));
        b.tick();
        assertThat(b.isLeader()).isTrue();
        // a resumes: its fence stays closed and its first round steps it down for good
        a.tick();
        assertThat(a.mayWrite()).isFalse();
        assertThat(a.isLeader()).isFalse();
        assertThat(aStopped.get()).isEqualTo(1);
        advance(ticker, LEASE.multipliedBy(3));
        a.tick();
        assertThat(a.isLeader()).as("a stepped-down elector does not campaign again").isFalse();
    }

    @Test
    void aRenewThatLandsLateDoesNotExtendTheFencePastTheStandbysTakeOver() {
        Store store = new Store();
        AtomicLong ticker = new AtomicLong();
        Link la = new Link(store, ticker);
        LeaseElector a = elector(la, "a", ticker, Duration.ZERO);
        LeaseElector b = elector(new Link(store, ticker), "b", ticker, Duration.ZERO);
        a.bind(() -> { }, () -> { });
        b.bind(() -> { }, () -> { });
        a.tick();
        la.latencyNanos = Duration.ofSeconds(4).toNanos(); // GET and PUT take 4 s each: lands 8 s after it started
        a.tick();
        la.latencyNanos = 0;
        long renewStarted = ticker.get() - Duration.ofSeconds(8).toNanos();
        b.tick();
        assertThat(a.mayWrite()).isTrue();
        advance(ticker, Duration.ofSeconds(2));
        assertThat(a.mayWrite()).as("fence counts from the start of the attempt: 10 s have passed").isFalse();
        assertThat(ticker.get() - renewStarted).isEqualTo(RENEW.toNanos());
    }

    @Test
    void leadershipIsReportedOnlyAfterTheStartCallbackReturned() throws Exception {
        Store store = new Store();
        AtomicLong ticker = new AtomicLong();
        LeaseElector a = elector(new Link(store, ticker), "a", ticker, Duration.ZERO);
        java.util.concurrent.CountDownLatch inCallback = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Boolean> seenInside = new ArrayList<>();
        a.bind(() -> {
            seenInside.add(a.isLeader());
            inCallback.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, () -> { });
        Thread campaign = new Thread(a::tick, "campaign");
        campaign.start();
        assertThat(inCallback.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // another thread polls while the start callback is still running: the Lease is held, leadership not reported
        assertThat(store.holder()).isEqualTo("a");
        assertThat(a.isLeader()).as("polled by another thread during the start callback").isFalse();
        release.countDown();
        campaign.join(10_000);
        assertThat(seenInside).containsExactly(false);
        assertThat(a.isLeader()).as("after the start callback returned").isTrue();
        assertThat(a.mayWrite()).isTrue();
        a.close();
        assertThat(a.isLeader()).isFalse();
    }

    @Test
    void releaseOnCloseLetsTheStandbyTakeOverAtOnce() {
        Store store = new Store();
        AtomicLong ticker = new AtomicLong();
        LeaseElector a = elector(new Link(store, ticker), "a", ticker, Duration.ZERO);
        LeaseElector b = elector(new Link(store, ticker), "b", ticker, Duration.ZERO);
        a.bind(() -> { }, () -> { });
        b.bind(() -> { }, () -> { });
        a.tick();
        b.tick();
        a.close();
        assertThat(store.holder()).isEmpty();
        assertThat(a.mayWrite()).isFalse();
        b.tick();
        assertThat(b.mayWrite()).isTrue();
        assertThat(store.get().transitions()).isEqualTo(1);
    }

    /**
     * Property: over random schedules of two or three candidates (pauses, Lease-only partitions, slow requests, clock
     * skew up to ±30 s, closes), whenever a candidate's fence is open the Lease names it. Hence no write by a
     * non-holder, as long as every write checks the fence first.
     */
    @Test
    void randomSchedulesNeverOpenTheFenceOfANonHolder() {
        long checks = 0;
        long leaderRounds = 0;
        long takeovers = 0;
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            Store store = new Store();
            AtomicLong ticker = new AtomicLong();
            int n = 2 + rnd.nextInt(2);
            List<Link> links = new ArrayList<>();
            List<LeaseElector> electors = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Link l = new Link(store, ticker);
                links.add(l);
                LeaseElector e = elector(l, "c" + i, ticker, Duration.ofSeconds(rnd.nextInt(61) - 30));
                e.bind(() -> { }, () -> { });
                electors.add(e);
            }
            for (int step = 0; step < 400; step++) {
                int i = rnd.nextInt(n);
                Link l = links.get(i);
                switch (rnd.nextInt(10)) {
                    case 0 -> l.partitioned = !l.partitioned;
                    case 1 -> l.latencyNanos = rnd.nextInt(3) == 0 ? Duration.ofMillis(rnd.nextInt(6000)).toNanos() : 0;
                    case 2 -> advance(ticker, Duration.ofMillis(rnd.nextInt(20_000))); // everyone frozen a while
                    case 3 -> {
                        if (rnd.nextInt(20) == 0) {
                            electors.get(i).close();
                        }
                    }
                    default -> {
                        boolean was = electors.get(i).isLeader();
                        electors.get(i).tick();
                        if (!was && electors.get(i).isLeader()) {
                            takeovers++;
                        }
                        advance(ticker, Duration.ofMillis(rnd.nextInt(2500)));
                    }
                }
                for (LeaseElector e : electors) {
                    checks++;
                    if (e.mayWrite()) {
                        leaderRounds++;
                        assertThat(store.holder()).as("seed %d step %d: %s's fence is open", seed, step, e.identity())
                                .isEqualTo(e.identity());
                    }
                }
            }
        }
        assertThat(leaderRounds).as("the schedules do elect leaders").isGreaterThan(checks / 50);
        assertThat(takeovers).as("and leadership changes hands").isGreaterThan(200);
    }

    @Test
    void aHangingRenewIsTimedOutAndTheLeaderStepsDownWithinTheRenewDeadline() throws Exception {
        Store store = new Store();
        AtomicBoolean hang = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        LeaseElector.LeaseClient client = new LeaseElector.LeaseClient() {
            private void maybeHang() throws InterruptedException {
                if (hang.get()) {
                    release.await();
                }
            }

            @Override
            public LeaseElector.Record get() throws Exception {
                maybeHang();
                return store.get();
            }

            @Override
            public LeaseElector.Record create(LeaseElector.Record r) throws Exception {
                maybeHang();
                return store.create(r);
            }

            @Override
            public LeaseElector.Record update(LeaseElector.Record r) throws Exception {
                maybeHang();
                return store.update(r);
            }
        };
        AtomicInteger stopped = new AtomicInteger();
        LeaseElector a = new LeaseElector(client, "wdrf/wdrf-leader", "a", Duration.ofMillis(1500),
                Duration.ofMillis(1000), Duration.ofMillis(100), Clock.systemUTC(), System::nanoTime);
        try {
            a.start(() -> { }, stopped::incrementAndGet);
            untilPasses(Duration.ofSeconds(10), () -> assertThat(a.mayWrite()).isTrue());
            hang.set(true);
            untilPasses(Duration.ofSeconds(10), () -> assertThat(stopped.get()).isEqualTo(1));
            assertThat(a.mayWrite()).isFalse();
            assertThat(a.isLeader()).isFalse();
        } finally {
            release.countDown();
            a.close();
        }
    }

    private static void untilPasses(Duration timeout, Runnable check) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void rejectsInconsistentDurations() {
        Store store = new Store();
        AtomicLong t = new AtomicLong();
        assertThatThrownBy(() -> new LeaseElector(new Link(store, t), "x", "a", RENEW, RENEW, RETRY, Clock.systemUTC(),
                t::get)).hasMessageContaining("renewDeadline");
        assertThatThrownBy(() -> new LeaseElector(new Link(store, t), "x", "a", LEASE, RENEW, RENEW, Clock.systemUTC(),
                t::get)).hasMessageContaining("retryPeriod");
        assertThatThrownBy(() -> new LeaseElector(new Link(store, t), "x", "", LEASE, RENEW, RETRY, Clock.systemUTC(),
                t::get)).hasMessageContaining("identity");
    }
}
