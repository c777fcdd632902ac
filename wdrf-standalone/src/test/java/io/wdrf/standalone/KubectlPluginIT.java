package io.wdrf.standalone;

import io.wdrf.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 8: {@code deploy/kubectl-plugin/kubectl-wdrf} run as kubectl runs a plugin, on a kubeconfig whose
 * current context points at the testkit's fake API server, with the shaded jar: explain, queue and shares answer and
 * nothing is written. Uses the real {@code kubectl} when it is on PATH, else a stand-in for {@code kubectl config view}.
 */
class KubectlPluginIT {

    private record Result(int code, String out, String err) {
    }

    private static Result plugin(Path dir, Path kubeconfig, String... args) throws Exception {
        Path script = Path.of("..", "deploy", "kubectl-plugin", "kubectl-wdrf").toAbsolutePath().normalize();
        assertThat(script).exists();
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("WDRF_JAR", Path.of(System.getProperty("standalone.jar", "target/wdrf-standalone.jar"))
                .toAbsolutePath().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("WDRF_JAVA_OPTS", "-Xmx256m");
        for (String v : List.of("LOG_LEVEL", "LOOP_INTERVAL", "AGING_COEFFICIENT", "MAX_AGING_TIME", "KUBECONFIG_PATH",
                "WDRF_CONFIG")) {
            pb.environment().remove(v);
        }
        if (!onPath("kubectl")) {
            Path stub = dir.resolve("kubectl");
            Files.writeString(stub, """
                    #!/usr/bin/env bash
                    # stand-in for 'kubectl config view --minify [--flatten|-o jsonpath={..namespace}]'
                    case "$*" in
                      *jsonpath*) echo nlp ;;
                      *) cat "$KUBECONFIG" ;;
                    esac
                    """);
            stub.toFile().setExecutable(true);
            pb.environment().put("KUBECTL", stub.toString());
        }
        Process p = pb.start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void explainQueueAndSharesThroughThePlugin() throws Exception {
        Path dir = Files.createTempDirectory("wdrf-plugin-it");
        try (FakeCluster cluster = new FakeCluster()) {
            Path kubeconfig = dir.resolve("config");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: fake
                      cluster:
                        server: %s
                    users:
                    - name: tester
                      user: {}
                    contexts:
                    - name: fake
                      context:
                        cluster: fake
                        user: tester
                        namespace: nlp
                    current-context: fake
                    """.formatted(cluster.url()));
            cluster.server().clearRequests();

            Result q = plugin(dir, kubeconfig, "queue", "-n", "nlp");
            assertThat(q.code()).as(q.err()).isZero();
            assertThat(q.out()).contains("showing namespace nlp").contains("nlp/bert-finetune")
                    .contains("fabric8 backend, " + cluster.url()).doesNotContain("interns/");

            Result s = plugin(dir, kubeconfig, "shares");
            assertThat(s.code()).as(s.err()).isZero();
            assertThat(s.out()).contains("ENTITLEMENT").containsPattern("\\nnlp\\s+1\\s+0\\.\\d{4}");

            // no namespace in the argument: the context's namespace (nlp)
            Result e = plugin(dir, kubeconfig, "explain", "bert-finetune");
            assertThat(e.code()).as(e.err()).isZero();
            assertThat(e.out()).contains("nlp/bert-finetune").contains("final priority");

            Result bad = plugin(dir, kubeconfig, "frobnicate");
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.err()).contains("unknown command 'frobnicate'");

            List<RecordedRequest> writes = cluster.server().requests().stream()
                    .filter(r -> !r.method().equals("GET")).toList();
            assertThat(writes).isEmpty();
        }
    }
}
