package io.wdrf.standalone;

import io.wdrf.api.Phase;
import io.wdrf.api.Workload;
import io.wdrf.engine.CycleReport;
import io.wdrf.kueue.InMemoryCluster;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class CommandsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int main(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoRunsTheLoopAndAdmitsWorkloads() {
        assertThat(main("demo", "--steps", "7", "--no-color", "--step-delay", "0")).isEqualTo(0);
        String o = out();
        assertThat(o).contains("── step 1/7").contains("── step 7/7").doesNotContain("step 8/")
                .doesNotContain("\u001b[").contains("demo finished: 7 steps");
        // every step reports what Kueue admitted; the first step admits from the t=0 backlog
        Matcher m = Pattern.compile("just admitted:  (.+)").matcher(o);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).contains("/").isNotEqualTo("-");
        // the urgent hotfix (submitted at +30m) is ranked first and admitted before the normal work
        assertThat(o).containsPattern("#1\\s+vision/hotfix-infer\\s+urgent");
        assertThat(o).contains("class urgent not allowed in namespace interns");
        assertThat(o).containsPattern("priority writes");
    }

    @Test
    void explainPrintsTheFactorBreakdown() {
        assertThat(main("explain", "--backend", "memory", "ml-research/ablation-2")).isEqualTo(0);
        String o = out();
        assertThat(o).contains("ml-research/ablation-2").contains("tenant             ml-research")
                .contains("tenant weight      2").contains("class points").contains("aging points")
                .contains("fairness points").contains("final priority").containsPattern("rank\\s+\\d+ of \\d+ pending")
                .contains("wdrf.x-k8s.io/explanation");

        assertThat(main("explain", "--backend", "memory", "nlp/no-such")).isEqualTo(1);
        assertThat(err()).contains("not found");
        assertThat(main("explain", "--backend", "memory", "interns/notebook-a")).isEqualTo(1);
        assertThat(err()).contains("is not pending");
        assertThat(main("explain", "--backend", "memory", "no-slash")).isEqualTo(2);
        assertThat(main("explain", "--backend", "memory")).isEqualTo(2);
    }

    @Test
    void runOnceOnTheMemoryBackendWritesPriorities() {
        assertThat(main("run", "--backend", "memory", "--once")).isEqualTo(0);
        assertThat(out()).containsPattern("cycle ok: policy=wdrf pending=11 admitted=0 changes=11 written=11 failed=0");
        assertThat(main("run", "--backend", "memory", "--once", "--dry-run")).isEqualTo(0);
        assertThat(out()).contains("written=0").contains("dry-run=true");
    }

    @Test
    void pluginPolicyIsSelectedByName() {
        Settings s = Main.settings(Main.parse(new String[]{"run", "--backend", "memory", "--policy", "test-constant"}),
                Map.of(), com.typesafe.config.ConfigFactory.parseString("wdrf.policy-options.value = 4242"));
        var injector = Wiring.injector(s);
        InMemoryCluster cluster = injector.getInstance(InMemoryCluster.class);
        Controller controller = injector.getInstance(Controller.class);
        try {
            CycleReport r = controller.runOnce(java.time.Duration.ofSeconds(5));
            assertThat(r.ok()).isTrue();
            assertThat(r.policy()).isEqualTo("test-constant");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            controller.close();
        }
        List<Workload> pending = cluster.snapshot().workloads().stream().filter(w -> w.phase() == Phase.PENDING).toList();
        assertThat(pending).isNotEmpty().allSatisfy(w -> assertThat(w.priority()).isEqualTo(4242));

        // a bad plugin option is a configuration error naming the key
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("plugin", ".conf");
            java.nio.file.Files.writeString(f, "wdrf.policy-options.value = lots\n");
            assertThat(main("run", "--backend", "memory", "--once", "--policy", "test-constant", "--config",
                    f.toString())).isEqualTo(2);
            assertThat(err()).contains("wdrf.policy-options.value: 'lots' is not an integer");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pluginPathLoadsJarsInNameOrder() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("plugins");
        for (String n : List.of("b.jar", "a.jar", "notes.txt")) {
            try (var jar = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(dir.resolve(n)))) {
                jar.putNextEntry(new java.util.zip.ZipEntry("x.txt"));
            }
        }
        try (PluginLoader p = PluginLoader.of(dir, getClass().getClassLoader())) {
            assertThat(p.jars()).extracting(x -> x.getFileName().toString()).containsExactly("a.jar", "b.jar");
            assertThat(p.classLoader()).isNotSameAs(getClass().getClassLoader());
            assertThat(p.classLoader().getResource("x.txt")).isNotNull();
        }
    }

    @Test
    void simulateIsDelegatedToTheSimulator() {
        assertThat(main("simulate", "--help")).isEqualTo(0);
        assertThat(out()).contains("--trace");
        assertThat(main("simulate", "--no-such-option", "x")).isEqualTo(2);
    }

    @Test
    void versionHelpAndUsageErrors() {
        assertThat(main("--version")).isEqualTo(0);
        assertThat(out()).startsWith("wdrf ");
        assertThat(main("--help")).isEqualTo(0);
        assertThat(out()).contains("explain <ns>/<workload>").contains("--health-check");
        assertThat(main()).isEqualTo(2);
        assertThat(main("frobnicate")).isEqualTo(2);
        assertThat(err()).contains("unknown command 'frobnicate'");
        assertThat(main("demo", "--steps", "0")).isEqualTo(2);
        assertThat(main("run", "--config")).isEqualTo(2);
        assertThat(err()).contains("--config needs a value");
    }

    @Test
    void healthCheckFailsWhenNothingListens() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        java.nio.file.Path f = java.nio.file.Files.createTempFile("hc", ".conf");
        java.nio.file.Files.writeString(f, "wdrf { backend = memory, http.port = " + port + " }\n");
        assertThat(main("--health-check", "--config", f.toString())).isEqualTo(1);
        assertThat(err()).contains("cannot reach 127.0.0.1:" + port);
        java.nio.file.Files.writeString(f, "wdrf { backend = memory, http.port = 0 }\n");
        assertThat(main("--health-check", "--config", f.toString())).isEqualTo(2);
    }
}
