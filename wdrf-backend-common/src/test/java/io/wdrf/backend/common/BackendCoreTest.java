package io.wdrf.backend.common;

import io.wdrf.api.WorkloadId;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendCoreTest {

    private static BackendCore core(BackendConfig cfg) {
        return new BackendCore(cfg, new ManualClock(Instant.parse("2026-11-24T00:00:00Z")), d -> { },
                1L, (ns, name, body) -> new PatchTransport.Response(200, null, ""), e -> { });
    }

    @Test
    void watchTargetsFollowTheNamespaceFilterAndThePodSwitch() {
        List<BackendCore.WatchTarget> expected = new ArrayList<>();
        for (ResourceKind k : ResourceKind.values()) {
            if (k == ResourceKind.POD) {
                continue;
            }
            if (k.namespaced()) {
                expected.add(new BackendCore.WatchTarget(k, "a"));
                expected.add(new BackendCore.WatchTarget(k, "b"));
            } else {
                expected.add(new BackendCore.WatchTarget(k, null));
            }
        }
        assertThat(core(BackendConfig.defaults().withNamespaces(List.of("b", "a")).withWatchPods(false)).watchTargets())
                .containsExactlyElementsOf(expected);
        assertThat(core(BackendConfig.defaults()).watchTargets())
                .extracting(BackendCore.WatchTarget::kind).containsExactly(ResourceKind.values());
        assertThat(core(BackendConfig.defaults()).watchTargets()).allMatch(t -> t.namespace() == null);
    }

    @Test
    void lifeCycleStartsOnceAndRefusesToStartWhenClosed() {
        BackendCore c = core(BackendConfig.defaults());
        assertThat(c.hasSynced(1, () -> true)).as("not started").isFalse();
        assertThat(c.markStarted()).isTrue();
        assertThat(c.markStarted()).isFalse();
        assertThat(c.hasSynced(0, () -> true)).as("no informers").isFalse();
        assertThat(c.hasSynced(2, () -> false)).isFalse();
        assertThat(c.hasSynced(2, () -> true)).isTrue();
        assertThat(c.acquireEventPermit()).isTrue();
        assertThat(c.markClosed()).isTrue();
        assertThat(c.markClosed()).isFalse();
        assertThat(c.acquireEventPermit()).as("closed").isFalse();
        assertThatThrownBy(c::markStarted).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void eventPartsUseTheResolvedVersionAndUniqueNames() {
        BackendCore c = core(BackendConfig.defaults());
        assertThat(c.eventWorkloadApiVersion()).isEqualTo("kueue.x-k8s.io/v1beta2");
        assertThat(c.resolveKueueVersion(Set.of("v1beta1"))).isEqualTo("v1beta1");
        assertThat(c.kueueVersion()).isEqualTo("v1beta1");
        assertThat(c.eventWorkloadApiVersion()).isEqualTo("kueue.x-k8s.io/v1beta1");
        WorkloadId id = new WorkloadId("ns", "w");
        String first = c.eventName(id);
        assertThat(first).startsWith("w.").isNotEqualTo(c.eventName(id));
        assertThat(c.workloadUid(id)).isNull();
    }

    @Test
    void shortenFlattensAndCaps() {
        assertThat(BackendCore.shorten(null)).isEmpty();
        assertThat(BackendCore.shorten("a\nb")).isEqualTo("a b");
        assertThat(BackendCore.shorten("ok\r2026-12-01 INFO forged")).isEqualTo("ok\\u000d2026-12-01 INFO forged");
        assertThat(BackendCore.shorten("\r".repeat(1000))).hasSizeLessThanOrEqualTo(310).endsWith("...");
        String long400 = "x".repeat(400);
        assertThat(BackendCore.shorten(long400)).hasSize(300).endsWith("...");
        assertThat(BackendCore.shorten("y".repeat(300))).isEqualTo("y".repeat(300));
    }
}
