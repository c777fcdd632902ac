package io.wdrf.standalone;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wdrf.api.Explanation;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.TenantState;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;
import io.wdrf.engine.CycleReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static Explanation expl(String tenant, Duration waited) {
        return new Explanation("wdrf", tenant, "normal", 1, 0.25, "cpu", 0.25, waited, 0.1, 1, 2, 3, 6, Map.of(), List.of());
    }

    private static CycleReport report(Map<String, TenantState> tenants, List<PriorityDecision> decisions,
                                      List<InvalidObject> invalid, WriteResult result, List<PriorityUpdate> updates,
                                      int overrides) {
        return report(tenants, decisions, invalid, result, updates, overrides, Map.of());
    }

    private static CycleReport report(Map<String, TenantState> tenants, List<PriorityDecision> decisions,
                                      List<InvalidObject> invalid, WriteResult result, List<PriorityUpdate> updates,
                                      int overrides, Map<String, Double> fairShares) {
        return new CycleReport(T, Duration.ofMillis(12), "wdrf", decisions.size(), 1, tenants, invalid,
                new PriorityPlan("wdrf", T, decisions), updates, result, overrides, 0, 0, false, true, null, 0, 0, 0, 0, 0, fairShares);
    }

    private static TenantState tenant(String name, double share, int admitted, int pending) {
        return new TenantState(name, 1.0, ResourceVector.of("cpu", 1), share, "cpu", admitted, pending);
    }

    /** Issue 13.7: pending workloads with an ignored tenant input are counted per input, from their notes. */
    @Test
    void ignoredTenantInputsAreCountedPerInput() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics m = new Metrics(registry);
        java.util.function.Function<List<String>, Explanation> with = notes -> new Explanation("wdrf", "t", "normal", 1,
                0.25, "cpu", 0.25, Duration.ZERO, 0.1, 1, 2, 3, 6, Map.of(), notes);
        String mapping = io.wdrf.api.TenantInputs.Ignored.PRIORITY_CLASS_MAPPING.marker() + "priority class 'high' ...";
        String label = io.wdrf.api.TenantInputs.Ignored.LABEL_TENANT.marker() + "team='x' ...";
        List<PriorityDecision> decisions = List.of(
                new PriorityDecision(new WorkloadId("a", "1"), 1, with.apply(List.of(mapping + "; " + label))),
                new PriorityDecision(new WorkloadId("a", "2"), 1, with.apply(List.of(label))),
                new PriorityDecision(new WorkloadId("a", "3"), 1, with.apply(List.of())));
        m.onCycle(report(Map.of(), decisions, List.of(), null, List.of(), 0));
        String scrape = registry.scrape();
        assertThat(scrape).contains("wdrf_tenant_inputs_ignored{input=\"priority-class-mapping\"} 1.0")
                .contains("wdrf_tenant_inputs_ignored{input=\"label-tenant\"} 2.0")
                .contains("wdrf_tenant_inputs_ignored{input=\"namespace-weight\"} 0.0");
    }

    @Test
    void cycleReportsBecomePrometheusSeries() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics m = new Metrics(registry);
        WorkloadId a1 = new WorkloadId("team-a", "w1");
        WorkloadId a2 = new WorkloadId("team-a", "w2");
        WorkloadId b1 = new WorkloadId("team-b", "w1");
        Map<String, TenantState> tenants = new TreeMap<>(Map.of("team-a", tenant("team-a", 0.5, 3, 2),
                "team-b", tenant("team-b", 0.125, 1, 1)));
        List<PriorityDecision> decisions = List.of(
                new PriorityDecision(a1, 10, expl("team-a", Duration.ofSeconds(90))),
                new PriorityDecision(a2, 9, expl("team-a", Duration.ofSeconds(30))),
                new PriorityDecision(b1, 8, expl("team-b", Duration.ofSeconds(5))));
        List<PriorityUpdate> updates = List.of(new PriorityUpdate(a1, "", PriorityTarget.SPEC_PRIORITY, 10, null, null),
                new PriorityUpdate(a2, "", PriorityTarget.SPEC_PRIORITY, 9, null, null),
                new PriorityUpdate(b1, "", PriorityTarget.SPEC_PRIORITY, 8, null, null));
        WriteResult result = new WriteResult(List.of(new WriteResult.Item(a1, WriteOutcome.WRITTEN, 1, ""),
                new WriteResult.Item(a2, WriteOutcome.FAILED, 3, "500"),
                new WriteResult.Item(b1, WriteOutcome.GONE, 1, "404")));
        List<InvalidObject> invalid = List.of(new InvalidObject("Workload", "team-a", "bad", "cpu: '1x'"),
                new InvalidObject("Workload", "team-b", "bad", "cpu: '1y'"),
                new InvalidObject("Node", "", "n1", "allocatable"));
        m.onCycle(report(tenants, decisions, invalid, result, updates, 2, Map.of("team-a", 0.375, "team-b", 0.625)));
        m.leader(true);
        m.ready(true);
        m.timed(u -> new WriteResult(List.of())).apply(List.of());

        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("wdrf_cycles_total{result=\"ok\"} 1.0")
                .contains("wdrf_cycles_total{result=\"error\"} 0.0")
                .contains("wdrf_cycle_duration_seconds_count{result=\"ok\"} 1")
                .contains("wdrf_workloads_pending{tenant=\"team-a\"} 2.0")
                .contains("wdrf_workloads_pending{tenant=\"team-b\"} 1.0")
                .contains("wdrf_workloads_admitted{tenant=\"team-a\"} 3.0")
                .contains("wdrf_tenant_dominant_share{tenant=\"team-b\"} 0.125")
                .contains("wdrf_tenant_fair_share{tenant=\"team-a\"} 0.375")
                .contains("wdrf_tenant_fair_share{tenant=\"team-b\"} 0.625")
                // team-a holds 0.5 > 0.375: no deficit; team-b holds 0.125 of its 0.625 with work pending
                .contains("wdrf_tenant_fair_share_deficit{tenant=\"team-a\"} 0.0")
                .contains("wdrf_tenant_fair_share_deficit{tenant=\"team-b\"} 0.5")
                .contains("wdrf_pending_max_wait_seconds{tenant=\"team-a\"} 90.0")
                .contains("wdrf_pending_max_wait_seconds{tenant=\"team-b\"} 5.0")
                .contains("wdrf_priority_writes_total{outcome=\"written\"} 1.0")
                .contains("wdrf_priority_writes_total{outcome=\"failed\"} 1.0")
                .contains("wdrf_priority_writes_total{outcome=\"gone\"} 1.0")
                .contains("wdrf_priority_writes_total{outcome=\"skipped\"} 0.0")
                .contains("wdrf_priority_write_latency_seconds_count 1")
                .contains("wdrf_invalid_objects{kind=\"Workload\"} 2.0")
                .contains("wdrf_invalid_objects{kind=\"Node\"} 1.0")
                .contains("wdrf_priority_overrides_total 2.0")
                .contains("wdrf_leader 1.0")
                .contains("wdrf_ready 1.0");

        // next cycle: team-b vanished, no invalid objects, dry run (updates not sent count as skipped), a failure
        m.onCycle(report(Map.of("team-a", tenant("team-a", 0.75, 4, 1)),
                List.of(new PriorityDecision(a2, 9, expl("team-a", Duration.ofSeconds(40)))), List.of(), null,
                List.of(updates.get(1)), 0));
        m.onCycle(new CycleReport(T, Duration.ofMillis(3), "wdrf", 0, 0, null, null, null, null, null, 0, 0, 0, false,
                false, "boom"));
        scrape = registry.scrape();
        assertThat(scrape)
                .contains("wdrf_workloads_pending{tenant=\"team-a\"} 1.0")
                .doesNotContain("tenant=\"team-b\"")
                .contains("wdrf_pending_max_wait_seconds{tenant=\"team-a\"} 40.0")
                .contains("wdrf_invalid_objects{kind=\"Workload\"} 0.0")
                .contains("wdrf_priority_writes_total{outcome=\"skipped\"} 1.0")
                .contains("wdrf_cycles_total{result=\"ok\"} 2.0")
                .contains("wdrf_cycles_total{result=\"error\"} 1.0")
                .contains("wdrf_cycle_duration_seconds_count{result=\"error\"} 1")
                .contains("wdrf_leader 0.0");
    }

    @Test
    void eachInvalidObjectIsLoggedOnceWhileItPersists() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Metrics.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            Metrics m = new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            InvalidObject bad = new InvalidObject("Workload", "team-a", "bad", "spec.podSets[0]...cpu: quantity '1x' has unknown suffix 'x'");
            InvalidObject node = new InvalidObject("Node", "", "n1", "status.allocatable.memory: 'lots'");
            m.onCycle(report(Map.of(), List.of(), List.of(bad), null, List.of(), 0));
            m.onCycle(report(Map.of(), List.of(), List.of(bad, node), null, List.of(), 0));
            m.onCycle(report(Map.of(), List.of(), List.of(bad, node), null, List.of(), 0));
            m.onCycle(report(Map.of(), List.of(), List.of(), null, List.of(), 0));   // fixed
            m.onCycle(report(Map.of(), List.of(), List.of(bad), null, List.of(), 0)); // broken again
            List<String> messages = appender.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .filter(x -> x.startsWith("skipping invalid object")).toList();
            assertThat(messages).containsExactly(
                    "skipping invalid object: " + bad,
                    "skipping invalid object: " + node,
                    "skipping invalid object: " + bad);
            assertThat(messages.get(0)).contains("team-a/bad").contains("unknown suffix 'x'");
        } finally {
            logger.detachAppender(appender);
        }
    }
}
