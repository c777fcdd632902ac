package io.wdrf.engine;

import io.wdrf.api.PolicyConfig;
import io.wdrf.api.Workload;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static io.wdrf.engine.Fixtures.T0;
import static io.wdrf.engine.Fixtures.pending;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10 item 3: the seed's boolean {@code priority-override} markers. */
class ClassResolverTest {

    private static final ClassResolver DEFAULTS = new ClassResolver(PolicyConfig.builder().build());

    private static Workload annotated(Map<String, String> annotations) {
        return pending("team-mlops", "w", T0, "1", "1Gi").toBuilder().annotations(annotations).build();
    }

    @Test
    void seedUrgentExampleIsUrgent() {
        // seed 000, "긴급 우선순위 설정": both markers set to "true"
        ClassResolver.Resolved r = DEFAULTS.resolve(annotated(Map.of(
                "wdrf.x-k8s.io/urgent", "true", "wdrf.x-k8s.io/priority-override", "true")));
        assertThat(r.workloadClass()).isEqualTo("urgent");
        assertThat(r.note()).isNull();
    }

    @Test
    void booleanOverrideAloneMeansTheAdminClassUrgentAndFalseMeansNoOverride() {
        assertThat(DEFAULTS.resolve(annotated(Map.of("wdrf.x-k8s.io/priority-override", "True"))).workloadClass())
                .isEqualTo("urgent");
        ClassResolver.Resolved off = DEFAULTS.resolve(annotated(Map.of("wdrf.x-k8s.io/priority-override", "false",
                "wdrf.x-k8s.io/approved", "true")));
        assertThat(off.workloadClass()).isEqualTo("approved");
        assertThat(off.note()).isNull();
    }

    @Test
    void unknownOverrideIsAnErrorButDoesNotHideAValidMarker() {
        ClassResolver.Resolved r = DEFAULTS.resolve(annotated(Map.of(
                "wdrf.x-k8s.io/priority-override", "vip", "wdrf.x-k8s.io/approved", "true")));
        assertThat(r.workloadClass()).isEqualTo("approved");
        assertThat(r.note()).contains("unknown class 'vip'").contains("wdrf.x-k8s.io/priority-override");
        ClassResolver.Resolved alone = DEFAULTS.resolve(annotated(Map.of("wdrf.x-k8s.io/priority-override", "vip")));
        assertThat(alone.workloadClass()).isEqualTo("normal");
        assertThat(alone.note()).contains("'vip'");
    }

    @Test
    void classNameOverrideStillWinsAndNamespaceRulesStillApply() {
        assertThat(DEFAULTS.resolve(annotated(Map.of("wdrf.x-k8s.io/priority-override", "approved",
                "wdrf.x-k8s.io/urgent", "true"))).workloadClass()).isEqualTo("approved");
        ClassResolver restricted = new ClassResolver(PolicyConfig.builder()
                .classNamespaces(Map.of("urgent", Set.of("ops"))).build());
        ClassResolver.Resolved r = restricted.resolve(annotated(Map.of("wdrf.x-k8s.io/priority-override", "true")));
        assertThat(r.workloadClass()).isEqualTo("normal");
        assertThat(r.note()).contains("not allowed in namespace team-mlops");
    }

    @Test
    void userTextInNotesIsMadePrintable() {
        ClassResolver.Resolved r = DEFAULTS.resolve(annotated(Map.of("wdrf.x-k8s.io/priority-override",
                "x\u001b[31m'\n" + "y".repeat(100))));
        assertThat(r.note()).doesNotContain("\u001b").doesNotContain("\n").contains("...");
    }
}
