package io.wdrf.standalone;

import io.wdrf.testkit.FakeKubeApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 "must show": seed 000's {@code config.yaml} (verbatim) and its three workload examples, stored as Kueue
 * v1beta1 Workloads on the testkit's fake API server, run through the standalone ({@code wdrf run --once}, fabric8
 * backend, kubeconfig from the seed's {@code KUBECONFIG_PATH}) — classes, class/aging points and priorities asserted.
 */
class Seed000EndToEndTest {

    @TempDir
    Path dir;

    private static final Pattern POINTS = Pattern.compile("class=(\\w+) .*share=([0-9.]+)(?:\\(([^)]+)\\))? "
            + "level=[0-9.]+ wait=(\\d+)s age=([0-9.]+) points=(\\d+)\\+(\\d+)\\+(\\d+)=(\\d+)");

    private record Seen(String cls, double share, String resource, double age, long classPoints, long aging,
                        long fairness, long total, int priority) {
    }

    private Seen seen(FakeKubeApiServer server, String ns, String name) {
        Map<String, Object> w = server.get(FakeKubeApiServer.path("kueue.x-k8s.io", "v1beta1", "workloads", ns, name))
                .orElseThrow();
        Map<?, ?> meta = (Map<?, ?>) w.get("metadata");
        String explanation = String.valueOf(((Map<?, ?>) meta.get("annotations")).get("wdrf.x-k8s.io/explanation"));
        Matcher m = POINTS.matcher(explanation);
        assertThat(m.find()).as("explanation of %s/%s in %s", ns, name, w).isTrue();
        int priority = ((Number) ((Map<?, ?>) w.get("spec")).get("priority")).intValue();
        return new Seen(m.group(1), Double.parseDouble(m.group(2)), m.group(3), Double.parseDouble(m.group(5)),
                Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                Long.parseLong(m.group(9)), priority);
    }

    private static void load(FakeKubeApiServer server, String resource, String created) throws IOException {
        try (InputStream in = Seed000EndToEndTest.class.getResourceAsStream("/seed000/" + resource)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@CREATED@", created);
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> o = (Map<String, Object>) doc;
                String apiVersion = (String) o.get("apiVersion");
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
                String kind = (String) o.get("kind");
                String plural = kind.toLowerCase(java.util.Locale.ROOT) + (kind.endsWith("s") ? "es" : "s");
                String ns = (String) ((Map<?, ?>) o.get("metadata")).get("namespace");
                server.put(FakeKubeApiServer.path(group, version, plural, ns, null), o);
            }
        }
    }

    @Test
    void seedConfigAndWorkloadsGetTheSeedsClassesAndPriorities() throws Exception {
        try (FakeKubeApiServer server = FakeKubeApiServer.builder().servedKueueVersions("v1beta1").start()) {
            String created = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
            load(server, "cluster.yaml", created);
            load(server, "workloads.yaml", created);

            Path config = dir.resolve("config.yaml");
            try (InputStream in = getClass().getResourceAsStream("/seed000/config.yaml")) {
                // the seed's file verbatim, plus two deployment settings: a single replica needs no Lease (on a loaded
                // machine waiting for one could outlast --once's bounded wait and make the cycle write nothing), and
                // no starvation reservations: the urgent example has waited past the seed's MAX_AGING_TIME and does not
                // fit, so with reservations on (the default) WDRF gates the approved example for it instead of writing
                // its priority (ReservationLifecycleTest covers that); this test is about the seed's classes and points
                Files.writeString(config, new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        + "\nwdrf:\n  leader-election:\n    enabled: false\n  starvation:\n    reserve: \"off\"\n");
            }
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: fake, cluster: {server: "%s"}}]
                    users: [{name: u, user: {}}]
                    contexts: [{name: fake, context: {cluster: fake, user: u}}]
                    current-context: fake
                    """.formatted(server.url()));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                    .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                    new ch.qos.logback.core.read.ListAppender<>();
            logs.start();
            root.addAppender(logs);
            int code;
            try {
                code = Main.run(new String[]{"run", "--once", "--config", config.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of("KUBECONFIG_PATH", kubeconfig.toString(), "HOSTNAME", "seed-test"), false);
            } finally {
                root.detachAppender(logs);
            }
            java.util.List<String> lines = logs.list.stream()
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            // run logs the API server URL it uses (README, Troubleshooting), the folded seed weights at start-up and,
            // once, each node's GPU accounting
            assertThat(lines).contains("API server " + server.url() + " (from kubeconfig " + kubeconfig
                    + ", context fake)");
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(
                    "resource weight nvidia.com/gpucores=0.1 is folded into hami.io/gpu"));
            assertThat(lines).filteredOn(l -> l.startsWith("GPU accounting")).singleElement().asString()
                    .endsWith(": h100-node-1");
            String summary = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(summary + err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(summary).contains("cycle ok").contains("pending=4 admitted=1").contains("written=4").contains("leader=true")
                    .contains("invalid=0");

            Seen urgent = seen(server, "team-mlops", "urgent-workload");
            Seen approved = seen(server, "team-mlops", "example-workload");
            Seen gang = seen(server, "team-mlops", "gang-training");
            Seen vision = seen(server, "team-vision", "vision-next");

            // classes: the boolean override is the seed's admin override, so the urgent example is urgent
            assertThat(urgent.cls()).isEqualTo("urgent");
            assertThat(approved.cls()).isEqualTo("approved");
            assertThat(gang.cls()).isEqualTo("normal");
            assertThat(vision.cls()).isEqualTo("normal");
            // PRIORITY_WEIGHTS urgent 1000, approved 100, normal 1 multiply one class band
            assertThat(urgent.classPoints()).isEqualTo(1000 * gang.classPoints());
            assertThat(approved.classPoints()).isEqualTo(100 * gang.classPoints());
            // waited two hours > MAX_AGING_TIME 3600 s: full age; AGING_COEFFICIENT 0.1 = a tenth of the fairness range
            for (Seen s : new Seen[]{urgent, approved, gang, vision}) {
                assertThat(s.age()).isEqualTo(1.0);
                // priority-base = auto (issue 13.8): 1 - (class(normal) + fairness(1)) = 1 - (11,001 + 5,000) at
                // AGING_COEFFICIENT 0.1 (band = 10,000 x 1.1 + 1): the seed's points, shifted uniformly
                assertThat(s.priority()).isEqualTo(s.total() - 16_000)
                        .isEqualTo((int) (s.classPoints() + s.aging() + s.fairness()) - 16_000);
            }
            // aging = round(AGING_COEFFICIENT 0.1 x fairness-resolution 10,000 x age factor 1.0)
            assertThat(urgent.aging()).isEqualTo(1000);
            // urgent above approved above normal, whatever the shares
            assertThat(urgent.priority()).isGreaterThan(approved.priority());
            assertThat(approved.priority()).isGreaterThan(gang.priority());
            // RESOURCE_WEIGHTS nvidia.com/gpu 10 applies to the physical-card fraction: team-vision holds 4 of 8 cards
            assertThat(vision.resource()).isEqualTo("hami.io/gpu");
            assertThat(vision.share()).isEqualTo(10 * 4.0 / 8);
            // team-mlops holds nothing yet, so its first workload ranks above team-vision's within class normal
            assertThat(gang.fairness()).isGreaterThan(vision.fairness());
        }
    }
}
