package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import com.typesafe.config.Config;
import io.wdrf.deploy.DeployFiles.Doc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart {@code deploy/helm/wdrf}: lints strictly, renders with default and overridden values, and with its
 * defaults (release {@code wdrf} in {@code wdrf-system}) produces the same objects as {@code deploy/kubernetes}
 * (kustomize) and {@code deploy/prometheus} - one definition, two install routes; this test keeps them equal.
 * Objects are compared after {@link HelmChart#normal}: only the labels/annotations Helm adds are ignored.
 */
class HelmChartTest {

    /** Kustomize objects the chart deliberately does not create (Helm's convention: --create-namespace). */
    private static final Set<String> NOT_IN_CHART = Set.of("Namespace/wdrf-system");

    private static final String MONITORING_ON = "serviceMonitor: {enabled: true}\nprometheusRule: {enabled: true}\n";

    @Test
    void lintStrictIsClean() {
        LintResult result = HelmChart.helm().lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).as("no warnings or errors")
                .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void defaultsRenderTheKustomizeObjects() {
        List<Map<String, Object>> chart = HelmChart.render("wdrf", "wdrf-system", MONITORING_ON);
        Map<String, Map<String, Object>> rendered = HelmChart.byKindAndName(chart);

        List<Map<String, Object>> kustomize = new ArrayList<>();
        for (Path f : kustomizeFiles()) {
            for (Doc d : DeployFiles.docs(f)) {
                kustomize.add(d.body());
            }
        }
        Map<String, Map<String, Object>> expected = HelmChart.byKindAndName(kustomize);
        expected.keySet().removeAll(NOT_IN_CHART);
        assertThat(rendered.keySet()).as("objects of the chart vs deploy/kubernetes + deploy/prometheus")
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, Map<String, Object>> e : expected.entrySet()) {
            Object chartObject = HelmChart.normal(rendered.get(e.getKey()));
            Object kustomizeObject = HelmChart.normal(e.getValue());
            assertThat(HelmChart.firstDifference(chartObject, kustomizeObject, e.getKey()))
                    .as("first difference chart vs kustomize").isEmpty();
            assertThat(chartObject).as("chart's %s equals the kustomize manifest", e.getKey())
                    .isEqualTo(kustomizeObject);
        }
    }

    @Test
    void monitoringObjectsAreOffUnlessAskedOrTheCrdsExist() {
        Set<String> kinds = kinds(HelmChart.render("wdrf", "wdrf-system", null));
        assertThat(kinds).doesNotContain("ServiceMonitor", "PrometheusRule")
                .contains("Deployment", "ConfigMap", "ClusterRole", "ValidatingAdmissionPolicy");
        assertThat(kinds(HelmChart.render("wdrf", "wdrf-system", "serviceMonitor: {enabled: true}\n")))
                .contains("ServiceMonitor").doesNotContain("PrometheusRule");
        assertThat(kinds(HelmChart.render("wdrf", "wdrf-system", "admissionPolicy: {enabled: false}\n")))
                .doesNotContain("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    }

    @Test
    void overriddenValuesReachEveryObjectConsistently() throws Exception {
        String values = """
                replicas: 2
                image: {repository: registry.example.com/wdrf, digest: "sha256:%s"}
                resources:
                  requests: {cpu: 200m, memory: 256Mi}
                  limits: {cpu: "1", memory: 1Gi}
                extraEnv:
                  - {name: HTTPS_PROXY, value: "http://proxy:3128"}
                nodeSelector: {node-role.kubernetes.io/control-plane: ""}
                tolerations:
                  - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
                serviceMonitor: {enabled: true, labels: {release: kube-prometheus-stack}}
                admissionPolicy:
                  adminGroups: [platform-admins, oncall]
                  validationActions: [Warn, Audit]
                wdrf:
                  dry-run: true
                  tenant-weights: {team-a: 2.5}
                  resource-weights: {"nvidia.com/gpu": 1.0, memory: 0.5}
                  aging: {max-time: 12h}
                  write: {target: priority-boost}
                """.formatted("a".repeat(64));
        List<Map<String, Object>> docs = HelmChart.render("gpu", "sched", values);

        Map<String, Object> deploy = HelmChart.find(docs, "Deployment", "gpu-wdrf");
        assertThat(Yaml2.get(deploy, "spec.replicas")).isEqualTo(2);
        Map<String, Object> pod = Yaml2.map(deploy, "spec.template.spec");
        Map<String, Object> container = Yaml2.maps(pod, "containers").get(0);
        assertThat(container.get("image")).isEqualTo("registry.example.com/wdrf@sha256:" + "a".repeat(64));
        assertThat(Yaml2.str(container, "resources.limits.memory")).isEqualTo("1Gi");
        assertThat(Yaml2.str(container, "resources.requests.cpu")).isEqualTo("200m");
        assertThat(Yaml2.maps(container, "env")).extracting(m -> m.get("name"))
                .containsExactly("LOG_LEVEL", "POD_NAME", "POD_NAMESPACE", "JAVA_TOOL_OPTIONS", "HTTPS_PROXY");
        assertThat(Yaml2.map(pod, "nodeSelector")).containsEntry("node-role.kubernetes.io/control-plane", "");
        assertThat(Yaml2.maps(pod, "tolerations").get(0)).containsEntry("operator", "Exists");
        assertThat(Yaml2.str(pod, "serviceAccountName")).isEqualTo("gpu-wdrf");
        assertThat(Yaml2.str(Yaml2.maps(pod, "volumes").get(0), "configMap.name")).isEqualTo("gpu-wdrf-config");

        Config cfg = HelmChart.hocon(Yaml2.str(HelmChart.find(docs, "ConfigMap", "gpu-wdrf-config"),
                "data.application\\.conf")).getConfig("wdrf");
        assertThat(cfg.getBoolean("dry-run")).isTrue();
        assertThat(cfg.getDouble("tenant-weights.team-a")).isEqualTo(2.5);
        assertThat(cfg.getDouble("resource-weights.\"nvidia.com/gpu\"")).isEqualTo(1.0);
        assertThat(cfg.getDuration("aging.max-time").toHours()).isEqualTo(12);
        assertThat(cfg.getDouble("aging.coefficient")).as("unset keys keep their default").isEqualTo(1.0);
        assertThat(cfg.getString("write.target")).isEqualTo("priority-boost");
        assertThat(cfg.getInt("write.qps")).isEqualTo(20);
        assertThat(cfg.getBoolean("leader-election.enabled")).isTrue();
        // the keys that must match other objects follow the release
        assertThat(cfg.getString("leader-election.lease-namespace")).isEqualTo("sched");
        String lease = cfg.getString("leader-election.lease-name");
        assertThat(lease).isEqualTo("gpu-wdrf-controller");
        Map<String, Object> role = HelmChart.find(docs, "Role", "gpu-wdrf-leader-election");
        assertThat(Yaml2.str(role, "metadata.namespace")).isEqualTo("sched");
        assertThat(Yaml2.strings(Yaml2.maps(role, "rules").get(1), "resourceNames")).containsExactly(lease);
        assertThat(Yaml2.str(Yaml2.maps(HelmChart.find(docs, "ClusterRoleBinding", "gpu-wdrf-controller"),
                "subjects").get(0), "namespace")).isEqualTo("sched");

        Map<String, Object> vap = HelmChart.find(docs, "ValidatingAdmissionPolicy", "gpu-wdrf-priority-markers");
        String adminGroups = Yaml2.maps(vap, "spec.variables").stream()
                .filter(v -> "adminGroups".equals(v.get("name"))).map(v -> (String) v.get("expression"))
                .findFirst().orElseThrow();
        assertThat(adminGroups).isEqualTo("['platform-admins', 'oncall']");
        // and it is the CEL list the API server will see
        assertThat(celValue(adminGroups)).isEqualTo(List.of("platform-admins", "oncall"));
        Map<String, Object> binding = HelmChart.find(docs, "ValidatingAdmissionPolicyBinding",
                "gpu-wdrf-priority-markers");
        assertThat(Yaml2.strings(binding, "spec.validationActions")).containsExactly("Warn", "Audit");
        assertThat(Yaml2.str(binding, "spec.policyName")).isEqualTo("gpu-wdrf-priority-markers");

        Map<String, Object> sm = HelmChart.find(docs, "ServiceMonitor", "gpu-wdrf");
        assertThat(Yaml2.map(sm, "metadata.labels")).containsEntry("release", "kube-prometheus-stack");
        assertThat(Yaml2.strings(sm, "spec.namespaceSelector.matchNames")).containsExactly("sched");
        assertThat(Yaml2.map(sm, "spec.selector.matchLabels"))
                .isEqualTo(Yaml2.map(HelmChart.find(docs, "Service", "gpu-wdrf"), "spec.selector"))
                .isEqualTo(Yaml2.map(deploy, "spec.selector.matchLabels"));
    }

    @Test
    void configChangesRollThePods() {
        String a = checksum(HelmChart.render("wdrf", "wdrf-system", null));
        String b = checksum(HelmChart.render("wdrf", "wdrf-system", "wdrf: {dry-run: true}\n"));
        assertThat(a).matches("[0-9a-f]{64}").isNotEqualTo(b);
        assertThat(checksum(HelmChart.render("wdrf", "wdrf-system", "logLevel: DEBUG\n"))).isEqualTo(a);
    }

    @Test
    void moreThanOneReplicaRequiresLeaderElection() {
        assertThatThrownBy(() -> HelmChart.render("wdrf", "wdrf-system",
                "replicas: 2\nwdrf: {leader-election: {enabled: false}}\n"))
                .hasMessageContaining("needs wdrf.leader-election.enabled = true");
        // one replica without leader election is allowed
        assertThat(kinds(HelmChart.render("wdrf", "wdrf-system", "wdrf: {leader-election: {enabled: false}}\n")))
                .contains("Deployment");
    }

    @Test
    void adminGroupsThatWouldBreakTheCelLiteralAreRefused() {
        assertThatThrownBy(() -> HelmChart.render("wdrf", "wdrf-system",
                "admissionPolicy: {adminGroups: [\"x') || true || ('\"]}\n"))
                .hasMessageContaining("contains a quote");
    }

    @Test
    void notesTellHowToCheckTheInstall() throws Exception {
        String notes = notes("gpu", "sched", "replicas: 2\nwdrf: {dry-run: true}\n");
        assertThat(notes).contains("kubectl -n sched rollout status deployment/gpu-wdrf")
                .contains("get lease gpu-wdrf-controller").contains("port-forward svc/gpu-wdrf 8080")
                .contains("/readyz").contains("leader election on").contains("DRY RUN")
                .contains("Only members of wdrf-admins").contains("No ServiceMonitor was created");
        assertThat(notes("wdrf", "wdrf-system", "serviceMonitor: {enabled: true}\n"))
                .doesNotContain("DRY RUN").doesNotContain("No ServiceMonitor").doesNotContain("leader election on");
    }

    /** {@code helm install --dry-run=client}: the rendered NOTES.txt (not part of helm template's output). */
    private static String notes(String release, String namespace, String values) throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("wdrf-values", ".yaml");
        try {
            java.nio.file.Files.writeString(f, values);
            return HelmChart.helm().install().withName(release).withNamespace(namespace).withValuesFile(f)
                    .dryRun().clientOnly().call().getOutput();
        } finally {
            java.nio.file.Files.delete(f);
        }
    }

    @Test
    void valuesSchemaRejectsTyposAndBadEnums() {
        assertThatThrownBy(() -> HelmChart.render("wdrf", "wdrf-system", "replica: 2\n"))
                .hasMessageContaining("replica");
        assertThatThrownBy(() -> HelmChart.render("wdrf", "wdrf-system",
                "admissionPolicy: {validationActions: [Denyy]}\n")).hasMessageContaining("validationActions");
        assertThatThrownBy(() -> HelmChart.render("wdrf", "wdrf-system", "serviceMonitor: {enabled: maybe}\n"))
                .hasMessageContaining("enabled");
        assertThatThrownBy(() -> HelmChart.render("wdrf", "wdrf-system", "replicas: 0\n"))
                .hasMessageContaining("replicas");
    }

    private static Object celValue(String expr) throws Exception {
        dev.cel.bundle.Cel cel = dev.cel.bundle.CelFactory.standardCelBuilder().build();
        return cel.createProgram(cel.compile(expr).getAst()).eval();
    }

    private static String checksum(List<Map<String, Object>> docs) {
        return Yaml2.str(HelmChart.find(docs, "Deployment", "wdrf"), "spec.template.metadata.annotations.checksum/config");
    }

    private static Set<String> kinds(List<Map<String, Object>> docs) {
        Set<String> out = new TreeSet<>();
        docs.forEach(d -> out.add(String.valueOf(d.get("kind"))));
        return out;
    }

    /** The kustomization's resources plus the PrometheusRule. */
    private static List<Path> kustomizeFiles() {
        List<Path> out = new ArrayList<>();
        for (String r : Yaml2.strings(DeployFiles.doc("kubernetes/kustomization.yaml", "Kustomization").body(),
                "resources")) {
            out.add(DeployFiles.path("kubernetes/" + r));
        }
        out.add(DeployFiles.path("prometheus/wdrf-alerts.yaml"));
        return out;
    }
}
