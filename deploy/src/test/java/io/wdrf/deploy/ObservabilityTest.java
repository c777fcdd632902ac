package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wdrf.deploy.DeployFiles.Doc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Dashboard and alerts reference only metrics the controller exposes, and cover them. */
class ObservabilityTest {

    /** Metric families the controller registers (read from wdrf-standalone's sources). */
    static final Set<String> METRICS = StandaloneMetrics.registered();

    /** Registered, or announced and pending (see {@link StandaloneMetrics#PENDING}). */
    static final Set<String> KNOWN = union(METRICS, StandaloneMetrics.PENDING);

    /** Families that have been exposed since the first release: a check of the source scan and its naming. */
    static final Set<String> DOCUMENTED = Set.of(
            "wdrf_cycle_duration_seconds", "wdrf_cycles_total", "wdrf_workloads_pending", "wdrf_workloads_admitted",
            "wdrf_tenant_dominant_share", "wdrf_priority_writes_total", "wdrf_priority_write_latency_seconds",
            "wdrf_invalid_objects", "wdrf_leader", "wdrf_ready", "wdrf_priority_overrides_total",
            "wdrf_pending_max_wait_seconds", "wdrf_gpu_allocation_ratio", "wdrf_gpu_fragmentation_ratio");

    /**
     * Series of other exporters the dashboard and alerts join with: DCGM exporter (seed 003) and HAMi's scheduler
     * and vGPUmonitor (v2.9+ names, shared/reference/hami.md section 7), plus Prometheus' own {@code up}.
     */
    static final Set<String> EXTERNAL = Set.of("up",
            "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_TOTAL", "DCGM_FI_DEV_FB_FREE",
            "DCGM_FI_DEV_GPU_TEMP",
            "hami_vgpu_core_allocated_ratio", "hami_vgpu_memory_allocated_bytes", "hami_vgpu_memory_used_bytes",
            "hami_container_device_utilization_ratio");

    static final Pattern EXTERNAL_TOKEN = Pattern.compile("\\b(DCGM_FI_[A-Z_]+|hami_[a-z_]+)\\b");

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    static Set<String> externalIn(String promql) {
        Set<String> out = new TreeSet<>();
        Matcher m = EXTERNAL_TOKEN.matcher(promql);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void sourceScanFindsEveryDocumentedMetric() {
        assertThat(METRICS).containsAll(DOCUMENTED);
        assertThat(StandaloneMetrics.namesIn("Counter.builder(\"wdrf.a.b\").tag(\"x\", \"y\").register(r);"))
                .containsExactly("wdrf_a_b_total");
        assertThat(StandaloneMetrics.namesIn("MultiGauge.builder(\"wdrf.w\").baseUnit(\"seconds\").register(r);"
                + " Timer.builder(\"wdrf.t\").register(r); Gauge.builder(\"wdrf.g\", x, f).register(r);"))
                .containsExactly("wdrf_g", "wdrf_t_seconds", "wdrf_w_seconds");
        Set<String> stillPending = new TreeSet<>(StandaloneMetrics.PENDING);
        stillPending.removeAll(METRICS);
        System.out.println("metrics referenced by the dashboard/alerts but not registered yet: " + stillPending);
    }

    static final Pattern METRIC_TOKEN = Pattern.compile("wdrf_[a-z_]+");
    static final Pattern SERIES_SUFFIX = Pattern.compile("_(count|sum|max|bucket)$");
    static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");
    static final Pattern LABEL_REF = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");

    /** An aggregation drops every label not named in by (...); without one, series keep their labels. */
    static final Pattern AGGREGATION = Pattern.compile("\\b(sum|min|max|avg|count|stddev|stdvar|topk|bottomk|quantile|group)\\s*(by|without)?\\s*\\(");

    static final Set<String> REQUIRED_ALERTS = Set.of("WDRFDown", "WDRFNotLeader", "WDRFPriorityWriteFailures",
            "WDRFCycleSlow", "WDRFInvalidObjects", "WDRFTenantStarving", "WDRFPriorityOverrideFight",
            "WDRFStarvationBeyondMaxAging", "WDRFReservationsStuck",
            // seed 003
            "GPUHighTemperature", "GPUMemoryExhausted", "GPUUnderutilized");

    /** Metric family names referenced in a PromQL expression (series suffixes stripped). */
    static Set<String> metricsIn(String promql) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC_TOKEN.matcher(promql);
        while (m.find()) {
            out.add(SERIES_SUFFIX.matcher(m.group()).replaceFirst(""));
        }
        return out;
    }

    @Test
    void metricExtractionStripsSeriesSuffixes() {
        assertThat(metricsIn("sum(rate(wdrf_cycle_duration_seconds_sum[5m])) / sum(rate(wdrf_cycle_duration_seconds_count[5m]))"))
                .containsExactly("wdrf_cycle_duration_seconds");
        assertThat(metricsIn("max(wdrf_priority_write_latency_seconds_max) + wdrf_leader{job=\"wdrf\"}"))
                .containsExactly("wdrf_leader", "wdrf_priority_write_latency_seconds");
        assertThat(metricsIn("wdrf_workloads_pendng > 0")).containsExactly("wdrf_workloads_pendng")
                .doesNotContainAnyElementsOf(METRICS);
        assertThat(metricsIn("up{job=\"wdrf\"}")).isEmpty();
    }

    /** Every PromQL expression of the dashboard: panel targets and templating queries. */
    static List<String> dashboardExpressions(JsonNode dash) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dash.get("panels")) {
            collectTargets(panel, out);
        }
        for (JsonNode var : dash.path("templating").path("list")) {
            JsonNode q = var.get("query");
            if (q != null && q.isObject() && q.has("query")) {
                out.add(q.get("query").asText());
            }
            if (var.has("definition")) {
                out.add(var.get("definition").asText());
            }
        }
        return out;
    }

    private static void collectTargets(JsonNode panel, List<String> out) {
        for (JsonNode t : panel.path("targets")) {
            out.add(t.path("expr").asText());
        }
        for (JsonNode nested : panel.path("panels")) {
            collectTargets(nested, out);
        }
    }

    static JsonNode dashboard() {
        return DeployFiles.json(DeployFiles.path("grafana/wdrf-dashboard.json"));
    }

    @Test
    void dashboardReferencesOnlyExposedMetricsAndCoversAllOfThem() {
        Set<String> used = new TreeSet<>();
        for (String expr : dashboardExpressions(dashboard())) {
            assertThat(AdmissionPolicyTest.balanceProblem(expr)).as(expr).isNull();
            used.addAll(metricsIn(expr));
        }
        assertThat(used).isSubsetOf(KNOWN);
        assertThat(used).containsAll(METRICS).containsAll(StandaloneMetrics.PENDING);
        // also any metric-looking token anywhere in the file (descriptions included) must exist
        String text = DeployFiles.read(DeployFiles.path("grafana/wdrf-dashboard.json"));
        assertThat(metricsIn(text)).isSubsetOf(KNOWN);
        assertThat(externalIn(text)).isSubsetOf(EXTERNAL)
                .contains("DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_TOTAL");
    }

    @Test
    void dashboardIsAWellFormedGrafanaModel() {
        JsonNode dash = dashboard();
        assertThat(dash.path("uid").asText()).isNotBlank();
        assertThat(dash.path("title").asText()).isNotBlank();
        assertThat(dash.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(30);
        Set<String> vars = new HashSet<>();
        for (JsonNode v : dash.path("templating").path("list")) {
            vars.add(v.path("name").asText());
        }
        assertThat(vars).contains("datasource");
        Set<Integer> ids = new HashSet<>();
        int dataPanels = 0;
        for (JsonNode p : dash.get("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("unique panel id %s", p.path("id")).isTrue();
            assertThat(p.path("title").asText()).isNotBlank();
            JsonNode g = p.get("gridPos");
            assertThat(g).as("gridPos of %s", p.path("title").asText()).isNotNull();
            assertThat(g.path("x").asInt() + g.path("w").asInt()).isLessThanOrEqualTo(24);
            assertThat(g.path("h").asInt()).isPositive();
            if (!"row".equals(p.path("type").asText())) {
                dataPanels++;
                assertThat(p.path("targets").size()).as("targets of %s", p.path("title").asText()).isPositive();
                assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                for (JsonNode t : p.path("targets")) {
                    assertThat(t.path("expr").asText()).isNotBlank();
                    assertThat(t.path("refId").asText()).isNotBlank();
                }
            }
        }
        assertThat(dataPanels).isGreaterThanOrEqualTo(METRICS.size() - 2);
    }

    static List<Map<String, Object>> alertRules() {
        Doc rule = DeployFiles.doc("prometheus/wdrf-alerts.yaml", "PrometheusRule");
        assertThat(Yaml2.str(rule.body(), "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> group : Yaml2.maps(rule.body(), "spec.groups")) {
            assertThat(Yaml2.str(group, "name")).isNotBlank();
            out.addAll(Yaml2.maps(group, "rules"));
        }
        return out;
    }

    @Test
    void alertsReferenceOnlyExposedMetrics() {
        Set<String> used = new TreeSet<>();
        for (Map<String, Object> r : alertRules()) {
            String expr = Yaml2.str(r, "expr");
            assertThat(AdmissionPolicyTest.balanceProblem(expr)).as(expr).isNull();
            used.addAll(metricsIn(expr));
        }
        assertThat(used).isSubsetOf(KNOWN);
        String text = DeployFiles.read(DeployFiles.path("prometheus/wdrf-alerts.yaml"));
        assertThat(metricsIn(text)).isSubsetOf(KNOWN);
        assertThat(externalIn(text)).isSubsetOf(EXTERNAL);
    }

    @Test
    void requiredAlertsExistAndAreComplete() {
        Set<String> names = new HashSet<>();
        for (Map<String, Object> r : alertRules()) {
            String name = Yaml2.str(r, "alert");
            assertThat(names.add(name)).as("duplicate alert %s", name).isTrue();
            assertThat(Yaml2.str(r, "for")).as(name).matches(DURATION);
            assertThat(Yaml2.str(r, "labels.severity")).as(name).isIn("critical", "warning", "info");
            assertThat(Yaml2.str(r, "annotations.summary")).as(name).isNotBlank();
            assertThat(Yaml2.str(r, "annotations.description")).as(name).isNotBlank();
            // {{ $labels.x }} only works if the expression keeps label x
            String expr = Yaml2.str(r, "expr");
            boolean aggregates = AGGREGATION.matcher(expr).find();
            for (Object text : Yaml2.map(r, "annotations").values()) {
                Matcher m = LABEL_REF.matcher((String) text);
                while (m.find() && aggregates) {
                    assertThat(expr).as("%s uses $labels.%s", name, m.group(1))
                            .containsPattern("by \\([^)]*\\b" + m.group(1) + "\\b");
                }
            }
        }
        assertThat(names).containsAll(REQUIRED_ALERTS);
    }
}
