package io.wdrf.standalone;

import com.typesafe.config.Config;
import io.wdrf.api.PriorityTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Settings load(Path file, Map<String, String> env, Map<String, Object> cli) {
        Config c = ConfigLoader.load(file, env, cli, null, getClass().getClassLoader());
        return ConfigLoader.settings(c, env);
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void referenceDefaults() {
        Settings s = load(null, Map.of(), Map.of());
        assertThat(s.backend()).isEqualTo("fabric8");
        assertThat(s.policy()).isEqualTo("wdrf");
        assertThat(s.logLevel()).isEqualTo("INFO");
        assertThat(s.reconciler().resyncInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.reconciler().debounce()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.reconciler().target()).isEqualTo(PriorityTarget.SPEC_PRIORITY);
        assertThat(s.reconciler().maxWritesPerCycle()).isEqualTo(1000);
        assertThat(s.reconciler().recordExplanation()).isTrue();
        assertThat(s.reconciler().emitEvents()).isTrue();
        assertThat(s.policyConfig().agingCoefficient()).isEqualTo(0.25);
        assertThat(s.policyConfig().maxAgingTime()).isEqualTo(Duration.ofHours(24));
        assertThat(s.policyConfig().priorityWeights()).containsEntry("urgent", 1000L).containsEntry("approved", 100L)
                .containsEntry("normal", 1L);
        assertThat(s.policyConfig().usageHalfLife()).isEqualTo(Duration.ofDays(7));
        assertThat(s.qps()).isEqualTo(20.0);
        assertThat(s.burst()).isEqualTo(40);
        assertThat(s.leader().enabled()).isTrue();
        assertThat(s.leader().leaseName()).isEqualTo("wdrf-controller");
        assertThat(s.leader().leaseNamespace()).isEqualTo("wdrf-system");
        assertThat(s.leader().identity()).endsWith("_" + ProcessHandle.current().pid());
        assertThat(s.http().port()).isEqualTo(8080);
        assertThat(s.hami()).isNotNull();
        assertThat(s.hami().fractionResource()).isEqualTo("hami.io/gpu");
        assertThat(s.hami().fallbackCardMemoryMiB()).isEqualTo(16384);
    }

    /** Issue 13.7 and 14: tenant-inputs and write.order from HOCON and from the environment. */
    @Test
    void tenantInputsAndWriteOrder() throws IOException {
        Settings d = load(null, Map.of(), Map.of());
        assertThat(d.policyConfig().tenantInputs()).isEqualTo(io.wdrf.api.TenantInputs.defaults());
        assertThat(d.reconciler().writeOrdering()).isEqualTo(io.wdrf.engine.WriteOrdering.PLAN);
        Path f = write("w.conf", "wdrf { tenant-key = \"label:team\", write.order = order-only, tenant-inputs {"
                + " open-priority-class-mapping = true, namespace-weights = true, label-tenants = [vision, nlp] } }");
        Settings s = load(f, Map.of(), Map.of());
        assertThat(s.policyConfig().tenantInputs())
                .isEqualTo(new io.wdrf.api.TenantInputs(true, true, Set.of("vision", "nlp")));
        assertThat(s.reconciler().writeOrdering()).isEqualTo(io.wdrf.engine.WriteOrdering.ORDER_ONLY);
        Settings e = load(null, Map.of("WDRF_NAMESPACE_WEIGHTS", "true", "WDRF_LABEL_TENANTS", "a, b",
                "WDRF_WRITE_ORDER", "admission-first"), Map.of());
        assertThat(e.policyConfig().tenantInputs()).isEqualTo(new io.wdrf.api.TenantInputs(false, true, Set.of("a", "b")));
        assertThat(e.reconciler().writeOrdering()).isEqualTo(io.wdrf.engine.WriteOrdering.ADMISSION_FIRST);
        assertThatThrownBy(() -> load(write("bad.conf", "wdrf.write.order = fastest"), Map.of(), Map.of()))
                .hasMessageContaining("wdrf.write.order");
        assertThatThrownBy(() -> load(write("bad2.conf", "wdrf.tenant-inputs.label-tenants = [\"\"]"), Map.of(), Map.of()))
                .hasMessageContaining("wdrf.tenant-inputs.label-tenants");
    }

    @Test
    void hoconFileWithQuotedAndUnquotedResourceNames() throws IOException {
        Path f = write("wdrf.conf", """
                wdrf {
                  backend = memory
                  loop-interval = 10s
                  resource-weights { "nvidia.com/gpu" = 2, cpu = 0.5 }
                  resource-weights { hami.io/gpu = 3 }
                  tenant-weights { "team.a" = 2, team-b = 0.5 }
                  class-namespaces { urgent = [ops, "ml.research"], approved = "a, b" }
                  priority-class-mapping { "high.priority" = urgent }
                  write { target = priority-boost, qps = 5.5, burst = 7 }
                  leader-election.identity = replica-1
                  hami.enabled = false
                }
                """);
        Settings s = load(f, Map.of(), Map.of());
        assertThat(s.backend()).isEqualTo("memory");
        assertThat(s.reconciler().resyncInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.policyConfig().resourceWeights()).containsEntry("nvidia.com/gpu", 2.0).containsEntry("cpu", 0.5)
                .containsEntry("hami.io/gpu", 3.0).hasSize(3);
        assertThat(s.policyConfig().tenantWeights()).containsEntry("team.a", 2.0).containsEntry("team-b", 0.5);
        assertThat(s.policyConfig().classNamespaces()).containsEntry("urgent", Set.of("ops", "ml.research"))
                .containsEntry("approved", Set.of("a", "b"));
        assertThat(s.policyConfig().priorityClassToClass()).containsEntry("high.priority", "urgent");
        assertThat(s.reconciler().target()).isEqualTo(PriorityTarget.PRIORITY_BOOST);
        assertThat(s.qps()).isEqualTo(5.5);
        assertThat(s.burst()).isEqualTo(7);
        assertThat(s.leader().identity()).isEqualTo("replica-1");
        assertThat(s.hami()).isNull();
    }

    @Test
    void seedYamlIsMappedOntoHoconKeys() throws IOException {
        Path f = write("config.yaml", """
                LOOP_INTERVAL: 45
                AGING_COEFFICIENT: 0.5
                MAX_AGING_TIME: 3600
                LOG_LEVEL: WARNING
                PRIORITY_WEIGHTS:
                  urgent: 2000
                  approved: 200
                  normal: 1
                RESOURCE_WEIGHTS:
                  cpu: 1
                  memory: 1
                  nvidia.com/gpu: 2
                """);
        Settings s = load(f, Map.of(), Map.of());
        assertThat(s.reconciler().resyncInterval()).isEqualTo(Duration.ofSeconds(45));
        assertThat(s.policyConfig().agingCoefficient()).isEqualTo(0.5);
        assertThat(s.policyConfig().maxAgingTime()).isEqualTo(Duration.ofHours(1));
        assertThat(s.logLevel()).isEqualTo("WARN");
        assertThat(s.policyConfig().priorityWeights()).isEqualTo(Map.of("urgent", 2000L, "approved", 200L, "normal", 1L));
        // HAMi accounting is on by default: the GPU count's weight applies to the physical-card fraction (reported)
        assertThat(s.policyConfig().resourceWeights()).isEqualTo(Map.of("cpu", 1.0, "memory", 1.0, "hami.io/gpu", 2.0));
        assertThat(s.notes()).singleElement().asString().contains("nvidia.com/gpu=2 applies to hami.io/gpu");
    }

    @Test
    void yamlMayAlsoCarryTheHoconTree() throws IOException {
        Path f = write("c.yml", """
                LOOP_INTERVAL: 5
                wdrf:
                  policy: drf
                  resource-weights:
                    nvidia.com/gpu: 4
                """);
        Settings s = load(f, Map.of(), Map.of());
        assertThat(s.policy()).isEqualTo("drf");
        assertThat(s.reconciler().resyncInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.policyConfig().resourceWeights()).containsEntry("hami.io/gpu", 4.0);
    }

    @Test
    void environmentOverridesFileAndFlagsOverrideEnvironment() throws IOException {
        Path f = write("c.conf", """
                wdrf { loop-interval = 10s, log-level = DEBUG, aging { coefficient = 2, max-time = 2h }, kube.kubeconfig = "" }
                """);
        Path kubeconfig = write("kubeconfig", "apiVersion: v1\n");
        Map<String, String> env = Map.of("LOOP_INTERVAL", "7", "LOG_LEVEL", "ERROR", "AGING_COEFFICIENT", "0.25",
                "MAX_AGING_TIME", "1800", "KUBECONFIG_PATH", kubeconfig.toString());
        Settings fromEnv = load(f, env, Map.of());
        assertThat(fromEnv.reconciler().resyncInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(fromEnv.logLevel()).isEqualTo("ERROR");
        assertThat(fromEnv.policyConfig().agingCoefficient()).isEqualTo(0.25);
        assertThat(fromEnv.policyConfig().maxAgingTime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(fromEnv.kube().kubeconfig()).isEqualTo(kubeconfig);

        Map<String, Object> cli = new LinkedHashMap<>();
        cli.put("wdrf.log-level", "trace");
        cli.put("wdrf.backend", "memory");
        cli.put("wdrf.dry-run", true);
        Settings fromCli = load(f, env, cli);
        assertThat(fromCli.logLevel()).isEqualTo("TRACE");
        assertThat(fromCli.backend()).isEqualTo("memory");
        assertThat(fromCli.reconciler().dryRun()).isTrue();
        assertThat(fromCli.reconciler().resyncInterval()).isEqualTo(Duration.ofSeconds(7));
    }

    private static void assertInvalid(Runnable r, String key, String reasonPart) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(InvalidConfigException.class, e -> {
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.reason()).contains(reasonPart);
            assertThat(e.getMessage()).startsWith(key + ": ");
        });
    }

    private void assertInvalidConf(String hocon, String key, String reasonPart) throws IOException {
        Path f = write("bad-" + Math.abs(hocon.hashCode()) + ".conf", hocon);
        assertInvalid(() -> load(f, Map.of(), Map.of()), key, reasonPart);
    }

    @Test
    void invalidValuesNameTheKeyPath() throws IOException {
        assertInvalidConf("wdrf.aging.coefficient = -1", "wdrf.aging.coefficient", "must be in [0, 1000]");
        assertInvalidConf("wdrf.aging.max-time = 0s", "wdrf.aging.max-time", "must be positive");
        assertInvalidConf("wdrf.backend = kubectl", "wdrf.backend", "not one of fabric8, official, memory");
        assertInvalidConf("wdrf.loop-interval = 0s", "wdrf.loop-interval", "must be positive");
        assertInvalidConf("wdrf.loop-interval = soon", "wdrf.loop-interval", "");
        assertInvalidConf("wdrf.dry-run = maybe", "wdrf.dry-run", "");
        assertInvalidConf("wdrf.tenant-weights { team-a = 0 }", "wdrf.tenant-weights.team-a", "must be > 0");
        assertInvalidConf("wdrf.resource-weights { \"nvidia.com/gpu\" = lots }", "wdrf.resource-weights.\"nvidia.com/gpu\"",
                "is not a number");
        assertInvalidConf("wdrf.priority-weights { urgent = 1.5 }", "wdrf.priority-weights.urgent", "must be an integer");
        assertInvalidConf("wdrf.priority-weights { urgent = 100 }", "wdrf.priority-weights.urgent", "used by another class");
        assertInvalidConf("wdrf.tenant-key = team", "wdrf.tenant-key", "not one of");
        assertInvalidConf("wdrf.write.qps = 0", "wdrf.write.qps", "positive");
        assertInvalidConf("wdrf.write.max-per-cycle = 0", "wdrf.write.max-per-cycle", "at least 1");
        assertInvalidConf("wdrf.write.target = status", "wdrf.write.target", "spec-priority, priority-boost");
        assertInvalidConf("wdrf.http.port = 70000", "wdrf.http.port", "[0, 65535]");
        assertInvalidConf("wdrf.log-level = LOUD", "wdrf.log-level", "not one of");
        assertInvalidConf("wdrf.kube.master-url = \"ftp://x\"", "wdrf.kube.master-url", "http(s)");
        assertInvalidConf("wdrf.leader-election { lease-duration = 5s, renew-deadline = 10s }",
                "wdrf.leader-election.lease-duration", "greater than renew-deadline");
        assertInvalidConf("wdrf.leader-election.lease-name = \"Not_Valid\"", "wdrf.leader-election.lease-name",
                "not a valid Kubernetes name");
        assertInvalidConf("wdrf.hami.fallback-card-memory-mib = 0", "wdrf.hami.fallback-card-memory-mib", "> 0");
        assertInvalidConf("wdrf.plugin-path = \"/definitely/not/here\"", "wdrf.plugin-path", "not a directory");
        assertInvalidConf("wdrf.loop-intervall = 5s", "wdrf.loop-intervall", "unknown setting");
        assertInvalidConf("wdrf.aging = 5", "wdrf.aging.coefficient", "");
    }

    @Test
    void hamiBlockAcceptsAllHamiSettingsInKebabCase() throws IOException {
        Path f = write("hami.conf", """
                wdrf.hami { vendor = hygon, split-count = 4, default-memory-mib = 2048, slot-floor = true,
                            fraction-resource = "hami.io/dcu", fallback-card-memory-mib = 8192 }
                """);
        Settings s = load(f, Map.of(), Map.of());
        assertThat(s.hami().vendor().name()).isEqualTo("hygon");
        assertThat(s.hami().splitCount()).isEqualTo(4);
        assertThat(s.hami().defaultMemoryMiB()).isEqualTo(2048);
        assertThat(s.hami().slotFloor()).isTrue();
        assertThat(s.hami().fractionResource()).isEqualTo("hami.io/dcu");
        assertThat(s.hami().fallbackCardMemoryMiB()).isEqualTo(8192);
        assertInvalidConf("wdrf.hami.split-count = 0", "wdrf.hami.split-count", ">= 1");
        assertInvalidConf("wdrf.hami.bogus = 1", "wdrf.hami.bogus", "unknown HAMi setting");
        assertInvalidConf("wdrf.hami.vendor = amd", "wdrf.hami.vendor", "not a preset");
    }

    @Test
    void invalidEnvironmentAndYamlNameTheKey() throws IOException {
        assertInvalid(() -> load(null, Map.of("LOOP_INTERVAL", "soon"), Map.of()), "wdrf.loop-interval",
                "environment variable LOOP_INTERVAL");
        assertInvalid(() -> load(null, Map.of("AGING_COEFFICIENT", "2000"), Map.of()), "wdrf.aging.coefficient",
                "must be in [0, 1000]");
        Path yaml = write("typo.yaml", "LOOP_INTERVALL: 5\n");
        assertInvalid(() -> load(yaml, Map.of(), Map.of()), "LOOP_INTERVALL", "unknown key");
        Path notMap = write("list.yaml", "- a\n- b\n");
        assertInvalid(() -> load(notMap, Map.of(), Map.of()), "--config", "must be a mapping");
        assertInvalid(() -> load(dir.resolve("missing.conf"), Map.of(), Map.of()), "--config", "does not exist");
    }

    private static int main(List<String> args, Map<String, String> env, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
    }

    @Test
    void cliExitsWithCode2AndTheKeyPathOnInvalidConfig() throws IOException {
        Path f = write("bad.conf", "wdrf.aging.coefficient = -1\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(main(List.of("run", "--once", "--config", f.toString()), Map.of(), out, err)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("wdrf.aging.coefficient: -1.0 must be in [0, 1000]");

        err.reset();
        assertThat(main(List.of("run", "--once", "--backend", "nope"), Map.of(), out, err)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("wdrf.backend: 'nope' is not one of");

        err.reset();
        assertThat(main(List.of("run", "--once", "--backend", "memory", "--policy", "no-such-policy"), Map.of(), out, err))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("wdrf.policy: no policy named 'no-such-policy'")
                .contains("test-constant");

        err.reset();
        assertThat(main(List.of("run", "--bogus"), Map.of(), out, err)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bogus");

        err.reset();
        assertThat(main(List.of("run", "--backend", "memory", "--once"), Map.of("LOOP_INTERVAL", "-3"), out, err))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("wdrf.loop-interval");
    }
}
