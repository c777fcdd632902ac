package io.wdrf.standalone;

import io.wdrf.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 8: {@code explain}, {@code queue}/{@code top} and {@code shares} on every backend, read-only against the
 * fake API server, and a one-line fast failure when no API server is reachable.
 */
class InspectCommandsTest {

    @TempDir
    Path dir;

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

    private Path conf(String url, String backend) throws IOException {
        Path f = dir.resolve(backend + ".conf");
        Files.writeString(f, "wdrf { backend = " + backend + ", kube.master-url = \"" + url + "\", "
                + "tenant-weights { ml-research = 2 } }\n");
        return f;
    }

    @Test
    void explainQueueAndSharesAgainstTheFakeApiServerAreReadOnly() throws IOException {
        try (FakeCluster cluster = new FakeCluster()) {
            for (String backend : List.of("fabric8", "official")) {
                String c = conf(cluster.url(), backend).toString();
                cluster.server().clearRequests();

                assertThat(main("queue", "--config", c)).as(err()).isZero();
                String q = out();
                assertThat(q).contains("# 11 pending").contains(backend + " backend, " + cluster.url())
                        .containsPattern("RANK\\s+WORKLOAD\\s+TENANT\\s+CLASS\\s+PRIORITY\\s+NOW\\s+LEVEL\\s+WAIT\\s+WHY")
                        .containsPattern("\\n1\\s+\\S+/\\S+\\s+");
                // every pending workload once, ranks 1..11, priorities never increasing down the list
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\n(\\d+)\\s+(\\S+/\\S+)\\s+\\S+\\s+\\S+\\s+(-?\\d+)")
                        .matcher(q);
                List<Integer> priorities = new java.util.ArrayList<>();
                int rank = 0;
                while (m.find()) {
                    assertThat(Integer.parseInt(m.group(1))).isEqualTo(++rank);
                    priorities.add(Integer.parseInt(m.group(3)));
                }
                assertThat(rank).isEqualTo(11);
                assertThat(priorities).isSortedAccordingTo(java.util.Comparator.reverseOrder());

                assertThat(main("top", "-n", "nlp", "--config", c)).isZero();
                assertThat(out()).contains("showing namespace nlp").contains("nlp/")
                        .doesNotContain("vision/hotfix-infer");

                assertThat(main("shares", "--config", c)).as(err()).isZero();
                String s = out();
                assertThat(s).containsPattern("TENANT\\s+WEIGHT\\s+ENTITLEMENT\\s+SHARE\\s+SHARE/ENT\\s+DOMINANT\\s+"
                        + "ADMITTED\\s+PENDING\\s+OLDEST-WAIT");
                assertThat(s).containsPattern("\\nml-research\\s+2\\s+0\\.\\d{4}\\s+");

                assertThat(main("explain", "ml-research/llm-pretrain", "--config", c)).as(err()).isZero();
                assertThat(out()).contains("ml-research/llm-pretrain").contains("tenant weight      2")
                        .contains(backend + " backend");

                List<RecordedRequest> writes = cluster.server().requests().stream()
                        .filter(r -> !r.method().equals("GET")).toList();
                assertThat(writes).as("read-only commands on " + backend).isEmpty();
                assertThat(cluster.server().requests()).noneMatch(r -> r.pathAndQuery().contains("/pods"));
            }
        }
    }

    @Test
    void everyCommandWorksOnTheMemoryBackend() {
        assertThat(main("queue", "--backend", "memory")).isZero();
        assertThat(out()).contains("demo scenario").containsPattern("\\n1\\s+\\S+/\\S+");
        assertThat(main("shares", "--backend", "memory")).isZero();
        assertThat(out()).containsPattern("\\nml-research\\s+2\\s+");
        assertThat(main("queue", "--backend", "memory", "extra")).isEqualTo(2);
    }

    @Test
    void withoutAnApiServerEachCommandFailsWithOneLineSuggestingTheMemoryBackend() throws IOException {
        int port = FakeCluster.freePort();
        String c = conf("http://127.0.0.1:" + port, "fabric8").toString();
        for (String[] args : List.of(new String[]{"explain", "team-a/x"}, new String[]{"queue"}, new String[]{"shares"})) {
            String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--config", c)).toArray(String[]::new);
            assertThat(main(full)).isEqualTo(1);
            assertThat(err().strip().lines().toList()).as(err()).singleElement().asString()
                    .startsWith(args[0] + ": no API server was reachable at http://127.0.0.1:" + port)
                    .contains("wdrf.kube.master-url").contains("--backend memory");
            assertThat(out()).isEmpty();
        }
    }
}
