package io.wdrf.standalone;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10 items 2, 6 and 10: the seeds' settings (seed 000's config.yaml and environment, seed 001's environment and
 * ConfigMap) map exactly where they can, and fail naming the WDRF key and the migration where they cannot.
 */
class SeedConfigMigrationTest {

    @TempDir
    Path dir;

    private Settings load(Path file, Map<String, String> env) {
        Config c = ConfigLoader.load(file, env, Map.of(), null, getClass().getClassLoader());
        return ConfigLoader.settings(c, env);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static InvalidConfigException invalid(Runnable r) {
        try {
            r.run();
        } catch (InvalidConfigException e) {
            return e;
        }
        throw new AssertionError("no InvalidConfigException");
    }

    /** Seed 000's config.yaml, verbatim. */
    static final String SEED_000_CONFIG = """
            # config.yaml
            LOOP_INTERVAL: 30
            AGING_COEFFICIENT: 0.1
            MAX_AGING_TIME: 3600
            LOG_LEVEL: INFO

            PRIORITY_WEIGHTS:
              urgent: 1000
              approved: 100
              normal: 1

            RESOURCE_WEIGHTS:
              cpu: 1.0
              memory: 1.0
              nvidia.com/gpu: 10.0
              nvidia.com/gpucores: 0.1
              nvidia.com/gpumem-percentage: 0.1
            """;

    @Test
    void seed000ConfigYamlLoadsAndItsHamiResourceWeightsAreFoldedAndReported() throws IOException {
        Settings s = load(write("config.yaml", SEED_000_CONFIG), Map.of());
        assertThat(s.reconciler().resyncInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.policyConfig().agingCoefficient()).isEqualTo(0.1);
        assertThat(s.policyConfig().maxAgingTime()).isEqualTo(Duration.ofHours(1));
        assertThat(s.policyConfig().priorityWeights()).isEqualTo(Map.of("urgent", 1000L, "approved", 100L, "normal", 1L));
        assertThat(s.policyConfig().resourceWeights()).isEqualTo(Map.of("cpu", 1.0, "memory", 1.0, "hami.io/gpu", 10.0));
        assertThat(s.notes()).hasSize(3)
                .anySatisfy(n -> assertThat(n).contains("nvidia.com/gpu=10 applies to hami.io/gpu"))
                .anySatisfy(n -> assertThat(n).contains("nvidia.com/gpucores=0.1 is folded into hami.io/gpu")
                        .contains("effective hami.io/gpu weight 10"))
                .anySatisfy(n -> assertThat(n).contains("nvidia.com/gpumem-percentage=0.1 is folded"));
    }

    @Test
    void withoutHamiTheSeedWeightsApplyAsWritten() throws IOException {
        Path f = write("config.yaml", SEED_000_CONFIG + "wdrf:\n  hami:\n    enabled: false\n");
        Settings s = load(f, Map.of());
        assertThat(s.policyConfig().resourceWeights()).containsEntry("nvidia.com/gpu", 10.0)
                .containsEntry("nvidia.com/gpucores", 0.1);
        assertThat(s.notes()).isEmpty();
    }

    @Test
    void seed001EnvironmentMapsSchedulingIntervalAndAcceptsKueueEnabled() {
        Settings s = load(null, Map.of("SCHEDULING_INTERVAL", "45", "KUEUE_ENABLED", "true", "LOG_LEVEL", "INFO"));
        assertThat(s.reconciler().resyncInterval()).isEqualTo(Duration.ofSeconds(45));
        // same value under both names is fine; different values are a conflict naming both
        assertThat(load(null, Map.of("SCHEDULING_INTERVAL", "45", "LOOP_INTERVAL", "45")).reconciler().resyncInterval())
                .isEqualTo(Duration.ofSeconds(45));
        InvalidConfigException twice = invalid(() -> load(null, Map.of("SCHEDULING_INTERVAL", "45", "LOOP_INTERVAL", "30")));
        assertThat(twice.key()).isEqualTo("wdrf.loop-interval");
        assertThat(twice.reason()).contains("LOOP_INTERVAL").contains("SCHEDULING_INTERVAL");
    }

    @Test
    void kueueDisabledIsRefusedWithTheReason() {
        InvalidConfigException e = invalid(() -> load(null, Map.of("KUEUE_ENABLED", "false")));
        assertThat(e.key()).isEqualTo("KUEUE_ENABLED");
        assertThat(e.reason()).contains("no mode without Kueue").contains("docs/migrating.md");
    }

    @Test
    void seed001ConfigMapMapsMaxAgingHoursAndRefusesAgingAlphaAndInvertedWeights() throws IOException {
        Path ok = write("cm-ok.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: drf-controller-config
                  namespace: drf-system
                data:
                  max_aging_hours: "336"  # 14일
                """);
        assertThat(load(ok, Map.of()).policyConfig().maxAgingTime()).isEqualTo(Duration.ofDays(14));

        Path alpha = write("cm-alpha.yaml", """
                kind: ConfigMap
                data:
                  aging_alpha: "0.1"
                """);
        InvalidConfigException a = invalid(() -> load(alpha, Map.of()));
        assertThat(a.key()).isEqualTo("aging_alpha");
        assertThat(a.reason()).contains("wdrf.aging.coefficient").contains("AGING_COEFFICIENT")
                .contains("wdrf.aging.max-time");

        Path weights = write("cm-weights.yaml", """
                kind: ConfigMap
                data:
                  priority_weights:
                    urgent: "0"
                    normal: "1000"
                """);
        InvalidConfigException w = invalid(() -> load(weights, Map.of()));
        assertThat(w.key()).isEqualTo("priority_weights");
        assertThat(w.reason()).contains("lower-is-better")
                .contains("PRIORITY_WEIGHTS: {urgent: 1000, normal: 1}")
                .contains("wdrf.priority-weights { urgent = 1000, normal = 1 }");
    }

    @Test
    void invertedUpperCaseWeightsAreRefusedWithTheCorrectedBlock() throws IOException {
        Path f = write("config.yaml", """
                PRIORITY_WEIGHTS:
                  urgent: 0
                  approved: 10
                  normal: 1000
                """);
        InvalidConfigException e = invalid(() -> load(f, Map.of()));
        assertThat(e.key()).isEqualTo("wdrf.priority-weights");
        assertThat(e.reason()).contains("urgent=0 is not above approved=10")
                .contains("PRIORITY_WEIGHTS: {urgent: 1000, approved: 100, normal: 1}");
        assertThat(ConfigLoader.correctedBlock(Map.of("vip", 0L, "normal", 5L, "batch", 9L)))
                .contains("PRIORITY_WEIGHTS: {vip: 100, normal: 10, batch: 1}");
    }

    @Test
    void negativeIntervalsNameWhatTheUserWrote() throws IOException {
        InvalidConfigException env = invalid(() -> load(null, Map.of("LOOP_INTERVAL", "-5")));
        assertThat(env.key()).isEqualTo("wdrf.loop-interval");
        assertThat(env.reason()).contains("'-5'").contains("environment variable LOOP_INTERVAL")
                .contains("positive number of seconds").doesNotContain("PT-5S");
        InvalidConfigException yaml = invalid(() -> {
            try {
                load(write("neg.yaml", "LOOP_INTERVAL: -5\n"), Map.of());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(yaml.reason()).contains("'-5'").contains("LOOP_INTERVAL").doesNotContain("PT-5S");
        InvalidConfigException hocon = invalid(() -> {
            try {
                load(write("neg.conf", "wdrf.loop-interval = -5s\n"), Map.of());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(hocon.reason()).contains("'-5s'").doesNotContain("PT-5S");
        assertThat(invalid(() -> load(null, Map.of("MAX_AGING_TIME", "0"))).reason()).contains("'0'");
    }
}
