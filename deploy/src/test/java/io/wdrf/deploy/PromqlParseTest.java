package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every PromQL expression of the dashboard and of the alert rules parses with the Prometheus project's own PromQL
 * grammar ({@code @prometheus-io/lezer-promql} from npm, the parser of the Prometheus web UI), run by Node.js from
 * {@code src/test/promql} ({@code npm ci} there; {@code .ci/run} does it). Skipped, saying why, without Node.js or
 * without the installed package. Grafana variables are substituted with representative values first.
 */
class PromqlParseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Grafana's variables as a dashboard user would have them (one value each; regex-valued ones as .*). */
    static final Map<String, String> VARIABLES = new LinkedHashMap<>();

    static {
        VARIABLES.put("$__rate_interval", "2m");
        VARIABLES.put("$__interval", "30s");
        VARIABLES.put("$__range", "6h");
        VARIABLES.put("$workload_ns_label", "exported_namespace");
        VARIABLES.put("$max_aging_seconds", "86400");
        VARIABLES.put("$namespace", "wdrf-system");
        VARIABLES.put("$tenant", ".*");
        VARIABLES.put("$node", ".*");
    }

    static String substitute(String expr) {
        String out = expr;
        for (Map.Entry<String, String> v : VARIABLES.entrySet()) {
            out = out.replace("${" + v.getKey().substring(1) + "}", v.getValue()).replace(v.getKey(), v.getValue());
        }
        assertThat(out).as("unknown Grafana variable left in %s", expr).doesNotContain("$__").doesNotMatch("(?s).*\\$[a-z].*");
        return out;
    }

    /** Expressions of the dashboard targets (not the label_values(...) variable queries: Grafana syntax). */
    static List<String> dashboardPromql() {
        List<String> out = new ArrayList<>();
        for (String e : ObservabilityTest.dashboardExpressions(ObservabilityTest.dashboard())) {
            if (!e.startsWith("label_values(")) {
                out.add(substitute(e));
            }
        }
        return out;
    }

    static List<String> alertPromql() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : ObservabilityTest.alertRules()) {
            out.add(Yaml2.str(r, "expr"));
        }
        return out;
    }

    @Test
    void variablesAreSubstituted() {
        assertThat(substitute("rate(x{n=\"$namespace\"}[$__rate_interval])")).isEqualTo("rate(x{n=\"wdrf-system\"}[2m])");
        assertThat(substitute("label_replace(x, \"t\", \"$1\", \"$workload_ns_label\", \"(.+)\")"))
                .contains("\"exported_namespace\"").contains("\"$1\"");
    }

    @Test
    void everyExpressionParses() throws Exception {
        List<String> exprs = new ArrayList<>(dashboardPromql());
        exprs.addAll(alertPromql());
        assertThat(exprs).hasSizeGreaterThan(30);
        // negative controls: the parser must reject these, or the check proves nothing
        List<String> broken = List.of("sum(rate(wdrf_cycles_total[5m])", "wdrf_leader{job=\"wdrf\"", "max by (tenant (x)");
        List<String> all = new ArrayList<>(exprs);
        all.addAll(broken);
        JsonNode results = parse(all);
        assertThat(results.size()).isEqualTo(all.size());
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < exprs.size(); i++) {
            JsonNode errors = results.get(i).get("errors");
            if (!errors.isEmpty()) {
                problems.add(exprs.get(i) + " -> " + errors);
            }
        }
        assertThat(problems).as("PromQL syntax errors").isEmpty();
        for (int i = exprs.size(); i < all.size(); i++) {
            assertThat(results.get(i).get("errors").isEmpty()).as("parser rejects %s", all.get(i)).isFalse();
        }
    }

    private static JsonNode parse(List<String> exprs) throws Exception {
        Path dir = DeployFiles.root().resolve("src/test/promql");
        Assumptions.assumeTrue(Files.isDirectory(dir.resolve("node_modules/@prometheus-io/lezer-promql")),
                "PromQL parser not installed: run `npm ci --prefix deploy/src/test/promql` (.ci/run does); skipped");
        Path input = Files.createTempFile("promql", ".json");
        Path output = Files.createTempFile("promql", ".out");
        try {
            JSON.writeValue(input.toFile(), exprs);
            Process p;
            try {
                p = new ProcessBuilder("node", dir.resolve("check.mjs").toString(), input.toString())
                        .directory(dir.toFile()).redirectOutput(output.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            } catch (java.io.IOException e) {
                Assumptions.abort("Node.js not found (" + e.getMessage() + "): PromQL parse check skipped");
                throw e;
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node check.mjs finishes").isTrue();
            assertThat(p.exitValue()).as("node check.mjs exit code").isZero();
            return JSON.readTree(output.toFile());
        } finally {
            Files.deleteIfExists(input);
            Files.deleteIfExists(output);
        }
    }
}
