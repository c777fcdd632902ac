package io.wdrf.backend.common;

import io.wdrf.api.PodSet;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PatchingPriorityWriterTest {

    private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    private final ProjectedStore store = new ProjectedStore();
    private final ManualClock clock = new ManualClock(T0);
    private final List<Duration> sleeps = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();
    private final Deque<Object> script = new ArrayDeque<>();

    private PatchingPriorityWriter writer(int attempts, double qps, int burst) {
        TokenBucketRateLimiter.Sleeper sleeper = d -> {
            sleeps.add(d);
            clock.advance(d);
        };
        PatchTransport t = (ns, name, body) -> {
            requests.add(ns + "/" + name + " " + body);
            Object next = script.isEmpty() ? 200 : script.poll();
            if (next instanceof IOException) {
                throw (IOException) next;
            }
            if (next instanceof PatchTransport.Response) {
                return (PatchTransport.Response) next;
            }
            return new PatchTransport.Response((Integer) next, null, "msg" + next);
        };
        return new PatchingPriorityWriter(t, store, new TokenBucketRateLimiter(qps, burst, clock, sleeper),
                new RetryPolicy(attempts, Duration.ofMillis(10), Duration.ofSeconds(1), 5), sleeper);
    }

    private void known(String ns, String name, String uid) {
        store.put(Projected.ok(ResourceKind.WORKLOAD, ns, name, Workload.builder(ns, name, T0).uid(uid)
                .addPodSet(PodSet.of("main", 1, Map.of())).build()));
    }

    private static PriorityUpdate upd(String name, String uid, int v) {
        return new PriorityUpdate(new WorkloadId("ns", name), uid, PriorityTarget.SPEC_PRIORITY, v, null, null);
    }

    @Test
    void writesOnePatchPerUpdate() {
        known("ns", "a", "u1");
        WriteResult r = writer(3, 100, 10).apply(List.of(upd("a", "u1", 7), upd("b", "", 8)));
        assertThat(r.items()).extracting(WriteResult.Item::outcome)
                .containsExactly(WriteOutcome.WRITTEN, WriteOutcome.WRITTEN);
        assertThat(requests).containsExactly("ns/a {\"spec\":{\"priority\":7}}", "ns/b {\"spec\":{\"priority\":8}}");
    }

    @Test
    void uidMismatchOrMissingIsGoneWithoutRequest() {
        known("ns", "a", "u-new");
        WriteResult r = writer(3, 100, 10).apply(List.of(upd("a", "u-old", 1), upd("missing", "u9", 2)));
        assertThat(r.items()).extracting(WriteResult.Item::outcome).containsExactly(WriteOutcome.GONE, WriteOutcome.GONE);
        assertThat(r.items().get(0).message()).contains("u-old").contains("u-new");
        assertThat(requests).isEmpty();
    }

    @Test
    void notFoundIsGone() {
        script.add(404);
        WriteResult r = writer(3, 100, 10).apply(List.of(upd("x", "", 1)));
        assertThat(r.items().get(0).outcome()).isEqualTo(WriteOutcome.GONE);
        assertThat(r.items().get(0).attempts()).isEqualTo(1);
    }

    @Test
    void transientErrorsAreRetriedHonouringRetryAfter() {
        script.add(new PatchTransport.Response(429, Duration.ofMillis(700), "slow down"));
        script.add(500);
        script.add(new IOException("reset"));
        script.add(409);
        script.add(200);
        WriteResult r = writer(5, 100, 10).apply(List.of(upd("x", "", 1)));
        assertThat(r.items().get(0).outcome()).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(r.items().get(0).attempts()).isEqualTo(5);
        assertThat(requests).hasSize(5);
        assertThat(sleeps.get(0)).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void exhaustedRetriesAndPermanentErrorsFail() {
        script.add(503);
        script.add(503);
        script.add(422);
        WriteResult r = writer(2, 100, 10).apply(List.of(upd("x", "", 1), upd("y", "", 2)));
        assertThat(r.items().get(0).outcome()).isEqualTo(WriteOutcome.FAILED);
        assertThat(r.items().get(0).message()).isEqualTo("gave up after 2 attempts, last HTTP 503 msg503");
        assertThat(r.items().get(1).outcome()).isEqualTo(WriteOutcome.FAILED);
        assertThat(r.items().get(1).message()).isEqualTo("not retryable: HTTP 422 msg422");
        assertThat(r.items().get(1).attempts()).isEqualTo(1);
    }

    @Test
    void rateLimitSpacesRequests() {
        List<PriorityUpdate> ups = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ups.add(upd("w" + i, "", i));
        }
        writer(1, 5, 2).apply(ups);
        assertThat(requests).hasSize(12);
        // 2 from the burst, then 10 at 5 QPS = 2 s of fake time
        assertThat(sleeps.stream().mapToLong(Duration::toMillis).sum()).isBetween(1990L, 2010L);
    }

    @Test
    void closedWriterSkips() {
        PatchingPriorityWriter w = writer(1, 100, 10);
        w.close();
        WriteResult r = w.apply(List.of(upd("x", "", 1)));
        assertThat(r.items().get(0).outcome()).isEqualTo(WriteOutcome.SKIPPED);
        assertThat(requests).isEmpty();
    }
}
