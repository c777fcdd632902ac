package io.wdrf.standalone;

import com.typesafe.config.ConfigFactory;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.CycleReport;
import io.wdrf.testkit.FakeKubeApiServer;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos/soak test of the shaded jar: two replica processes against the fake API server while a churn thread keeps
 * creating workloads, and faults hit the leader in turn — SIGSTOP (longer than the Lease), kill -9, and a Lease-only
 * partition. Hard assertions: zero accepted writes by a replica that did not hold the Lease (the server audits every
 * write against the holder at its arrival), zero duplicated writes (the same value patched twice in a row), no lost
 * write (a fresh evaluation of the final state wants no change, every workload prioritised), and every failover within
 * lease duration + retry period + 2 s.
 *
 * <p>Short form in {@code mvn verify} (one round of the three faults, about a minute). Longer form:
 * {@code mvn -pl wdrf-standalone -am verify -Dit.test=ChaosIT -Dwdrf.chaos.rounds=10} (each round adds three faults).
 */
class ChaosIT {

    private static final String LEASE_NS = "wdrf-system";
    private static final String LEASE = "wdrf-controller";
    private static final Duration LEASE_DURATION = Duration.ofSeconds(4);
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration FAILOVER_BOUND = LEASE_DURATION.plus(RETRY).plusSeconds(2);

    private final Path dir;
    private final Map<String, Process> replicas = new LinkedHashMap<>();
    private final AtomicInteger generation = new AtomicInteger();

    ChaosIT() throws IOException {
        dir = Files.createTempDirectory("wdrf-chaos");
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("standalone.jar", "target/wdrf-standalone.jar"));
        assertThat(jar).as("shaded jar (run 'mvn verify')").exists();
        return jar;
    }

    private Path config(String url, String identity) throws IOException {
        Path conf = dir.resolve(identity + ".conf");
        Files.writeString(conf, """
                wdrf {
                  backend = fabric8
                  kube.master-url = "%s"
                  loop-interval = 1s
                  debounce = 100ms
                  write { min-delta = 0, qps = 200, burst = 200 }
                  http { bind = "127.0.0.1", port = 0 }
                  leader-election { identity = %s, lease-duration = 4s, renew-deadline = 3s, retry-period = 500ms }
                }
                """.formatted(url, identity));
        return conf;
    }

    private String startReplica(String url, String base) throws IOException {
        String id = base + generation.incrementAndGet();
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
                + File.separator + "java", "-Xmx160m", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
                "run", "--config", config(url, id).toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(id + ".log").toFile());
        for (String v : List.of("LOG_LEVEL", "LOOP_INTERVAL", "AGING_COEFFICIENT", "MAX_AGING_TIME", "KUBECONFIG_PATH")) {
            pb.environment().remove(v);
        }
        replicas.put(id, pb.start());
        return id;
    }

    private static void signal(Process p, String sig) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
        assertThat(k.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(k.exitValue()).as("kill -" + sig).isZero();
    }

    private static String holder(FakeCluster c) {
        return c.leaseHolder(LEASE_NS, LEASE).orElse("");
    }

    /** Waits for a holder other than {@code old} among the live replicas; returns the failover time. */
    private Duration awaitNewLeader(FakeCluster c, String old, long faultNanos) throws InterruptedException {
        FakeCluster.await(FAILOVER_BOUND.plusSeconds(20), "a new leader after " + old + " (logs in " + dir + ")", () -> {
            String h = holder(c);
            return !h.isEmpty() && !h.equals(old) && replicas.containsKey(h) && replicas.get(h).isAlive();
        });
        return Duration.ofNanos(System.nanoTime() - faultNanos);
    }

    /** Waits until the replica's elector is warm (a few Lease reads answered): failover is measured on warm standbys. */
    private void awaitWarm(FakeCluster c, String id) throws InterruptedException {
        FakeCluster.await(Duration.ofSeconds(60), id + " campaigns (logs in " + dir + ")", () -> c.server().requests()
                .stream().filter(r -> r.path().contains("/leases/") && r.userAgent().equals("wdrf/" + id)).count() >= 4);
    }

    private static final Pattern PRIORITY = Pattern.compile("\"priority\"\\s*:\\s*(-?[0-9]+)");

    @Test
    void leaderFaultsNeverLetTwoReplicasWrite() throws Exception {
        int rounds = Integer.getInteger("wdrf.chaos.rounds", 1);
        Random rnd = new Random(13);
        List<Duration> failovers = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicInteger created = new AtomicInteger();
        try (FakeCluster cluster = new FakeCluster()) {
            FakeKubeApiServer server = cluster.server();
            server.auditWritesAgainstLease(LEASE_NS, LEASE);
            Thread churn = new Thread(() -> {
                Random r = new Random(7);
                while (churning.get() && created.get() < 40 * rounds + 40) {
                    int n = created.incrementAndGet();
                    Workload w = new DemoScenario.Job(r.nextBoolean() ? "vision" : "nlp", "churn-" + n, Duration.ZERO,
                            Duration.ofMinutes(5), 1 + r.nextInt(2), "1", "1Gi", r.nextInt(2), 0, 0, null)
                            .toWorkload(Instant.parse("2026-01-05T10:00:00Z"));
                    cluster.fixture.upsert(w);
                    try {
                        Thread.sleep(150 + r.nextInt(300));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "chaos-churn");
            try {
                awaitWarm(cluster, startReplica(cluster.url(), "a"));
                awaitWarm(cluster, startReplica(cluster.url(), "b"));
                FakeCluster.await(Duration.ofSeconds(90), "a leader and every workload prioritised (logs in " + dir + ")",
                        () -> replicas.containsKey(holder(cluster)) && cluster.allPrioritized());
                churn.start();
                for (int round = 0; round < rounds; round++) {
                    for (String fault : List.of("sigstop", "kill9", "lease-partition")) {
                        String leader = holder(cluster);
                        Process lp = replicas.get(leader);
                        Thread.sleep(500 + rnd.nextInt(1500)); // mid-cycle, mid-batch: wherever the churn has it
                        long t0 = System.nanoTime();
                        switch (fault) {
                            case "sigstop" -> {
                                signal(lp, "STOP");
                                failovers.add(awaitNewLeader(cluster, leader, t0));
                                Thread.sleep(1000); // the new leader writes while the old one is frozen
                                signal(lp, "CONT");
                                // it wakes with its fence closed, steps down and exits (Kubernetes would restart it)
                                assertThat(lp.waitFor(30, TimeUnit.SECONDS)).as(leader + " exits after SIGCONT").isTrue();
                            }
                            case "kill9" -> {
                                signal(lp, "KILL");
                                failovers.add(awaitNewLeader(cluster, leader, t0));
                                assertThat(lp.waitFor(10, TimeUnit.SECONDS)).isTrue();
                            }
                            default -> {
                                server.faults().failAlways("*", "/leases", "wdrf/" + leader, 503);
                                failovers.add(awaitNewLeader(cluster, leader, t0));
                                assertThat(lp.waitFor(30, TimeUnit.SECONDS)).as(leader + " exits after losing the Lease")
                                        .isTrue();
                                server.faults().clear();
                            }
                        }
                        faults.add(fault + ": " + leader + " -> " + holder(cluster));
                        replicas.remove(leader);
                        awaitWarm(cluster, startReplica(cluster.url(), leader.replaceAll("[0-9]+$", "")));
                    }
                }
                churning.set(false);
                churn.join(10_000);
                FakeCluster.await(Duration.ofSeconds(60), "every workload prioritised after the churn",
                        () -> cluster.server().list(FakeKubeApiServer.path(FakeKubeApiServer.KUEUE_GROUP, "v1beta2",
                                "workloads", null, null)).stream().allMatch(o -> o.get("spec") instanceof Map<?, ?> s
                                && s.get("priority") != null));
            } finally {
                churning.set(false);
                for (Process p : replicas.values()) {
                    if (p.isAlive()) {
                        signal(p, "CONT");
                        p.destroy();
                        p.waitFor(20, TimeUnit.SECONDS);
                    }
                }
            }

            // zero accepted writes by a non-holder
            List<String> nonHolder = new ArrayList<>();
            Map<String, String> lastValue = new HashMap<>();
            List<String> duplicates = new ArrayList<>();
            int accepted = 0;
            for (FakeKubeApiServer.AuditedWrite w : server.auditedWrites()) {
                if (!w.succeeded()) {
                    continue;
                }
                accepted++;
                String id = w.request().userAgent().replaceFirst("^wdrf/", "");
                if (!id.equals(w.leaseHolderAtArrival())) {
                    nonHolder.add(w.request().method() + " " + w.request().path() + " by " + id + " while '"
                            + w.leaseHolderAtArrival() + "' held the Lease");
                }
                Matcher m = PRIORITY.matcher(w.request().body());
                if (w.request().method().equals("PATCH") && w.request().path().contains("/workloads/") && m.find()) {
                    String prev = lastValue.put(w.request().path(), m.group(1));
                    if (m.group(1).equals(prev)) {
                        duplicates.add(w.request().path() + " = " + prev);
                    }
                }
            }
            System.out.printf("chaos: rounds=%d faults=%d accepted-writes=%d workloads-created=%d failovers=%s%n",
                    rounds, faults.size(), accepted, created.get(), failovers);
            assertThat(nonHolder).as("writes accepted from a replica not holding the Lease").isEmpty();
            assertThat(duplicates).as("the same priority patched twice in a row").isEmpty();
            assertThat(failovers).as("failovers (bound %s)", FAILOVER_BOUND).hasSize(3 * rounds)
                    .allMatch(d -> d.compareTo(FAILOVER_BOUND) <= 0);
            assertThat(accepted).isGreaterThan(cluster.workloads.size());

            // no lost write: the final state is what the engine computes for it
            Controller check = Wiring.injector(ConfigLoader.settings(ConfigLoader.load(null, Map.of(), Map.of(),
                    ConfigFactory.parseString("""
                            wdrf {
                              backend = fabric8
                              kube.master-url = "%s"
                              dry-run = true
                              write.min-delta = 0
                            }
                            """.formatted(cluster.url())), ChaosIT.class.getClassLoader()), Map.of()))
                    .getInstance(Controller.class);
            try {
                CycleReport r = check.runOnce(Duration.ofSeconds(30));
                assertThat(r.ok()).isTrue();
                assertThat(r.pending()).isGreaterThanOrEqualTo(created.get());
                assertThat(r.updates()).as("pending workloads not at the computed priority").isEmpty();
            } finally {
                check.close();
            }
            Files.writeString(dir.resolve("summary.txt"), String.join("\n", faults) + "\n" + failovers + "\n",
                    StandardCharsets.UTF_8);
        }
    }
}
