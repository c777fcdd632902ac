package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wdrf.deploy.DeployFiles.Doc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every YAML/JSON file parses strictly, and every Kubernetes object has the fields its kind requires. */
class ManifestStructureTest {

    /** Kinds we ship, with their scope. An unknown kind fails the test, so the table must be kept honest. */
    static final Set<String> NAMESPACED = Set.of("ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Deployment",
            "Service", "ServiceMonitor", "PrometheusRule", "LocalQueue", "NetworkPolicy");
    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ClusterQueue", "ResourceFlavor");
    /** Documents that are not API objects (no metadata). */
    static final Set<String> NON_OBJECTS = Set.of("Kustomization", "Configuration");

    static final Pattern API_VERSION = Pattern.compile("([a-z0-9]([a-z0-9.-]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?");
    static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    static final List<String> EXPECTED_FILES = List.of(
            "README.md",
            "docker/Dockerfile",
            "grafana/wdrf-dashboard.json",
            "kubernetes/clusterrole.yaml",
            "kubernetes/clusterrolebinding.yaml",
            "kubernetes/configmap.yaml",
            "kubernetes/deployment.yaml",
            "kubernetes/kustomization.yaml",
            "kubernetes/namespace.yaml",
            "kubernetes/role.yaml",
            "kubernetes/rolebinding.yaml",
            "kubernetes/service.yaml",
            "kubernetes/serviceaccount.yaml",
            "kubernetes/servicemonitor.yaml",
            "kubernetes/validating-admission-policy.yaml",
            "kueue/kueue-config-snippet.yaml",
            "prometheus/wdrf-alerts.yaml");

    @Test
    void allExpectedArtefactsExist() {
        Path root = DeployFiles.root();
        List<String> present = DeployFiles.artefacts().stream().map(p -> root.relativize(p).toString())
                .collect(Collectors.toList());
        assertThat(present).containsAll(EXPECTED_FILES);
    }

    @Test
    void everyYamlFileParsesAsNonEmptyMappings() {
        List<Path> files = DeployFiles.yamlFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(14);
        for (Path f : files) {
            List<Doc> docs = DeployFiles.docs(f);
            assertThat(docs).as("documents in %s", f).isNotEmpty();
            for (Doc d : docs) {
                assertThat(d.body()).as(d.where()).isNotEmpty();
                assertThat(d.body()).as(d.where() + " has apiVersion and kind").containsKeys("apiVersion", "kind");
            }
        }
    }

    @Test
    void strictYamlRejectsDuplicateKeys() {
        assertThatThrownBy(() -> DeployFiles.strictYaml().load("a: 1\na: 2\n"))
                .hasMessageContaining("duplicate key");
    }

    @Test
    void everyJsonFileParsesStrictly() {
        List<Path> files = DeployFiles.artefacts(".json");
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            assertThat(DeployFiles.json(f).isObject()).as("%s is a JSON object", f).isTrue();
        }
        assertThatThrownBy(() -> DeployFiles.jsonArray("{\"a\": 1, \"a\": 2}")).isInstanceOf(AssertionError.class);
    }

    @Test
    void everyObjectHasTheFieldsItsKindRequires() {
        List<String> problems = new ArrayList<>();
        for (Doc d : DeployFiles.allDocs()) {
            problems.addAll(objectProblems(d.where(), d.body()));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void objectChecksDetectBrokenObjects() {
        assertThat(objectProblems("t", Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "x"))))
                .anyMatch(p -> p.contains("needs metadata.namespace"));
        assertThat(objectProblems("t", Map.of("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "ClusterRole",
                "metadata", Map.of("name", "x", "namespace", "y"))))
                .anyMatch(p -> p.contains("cluster-scoped"));
        assertThat(objectProblems("t", Map.of("apiVersion", "apps/v1", "kind", "Gadget", "metadata", Map.of("name", "x"))))
                .anyMatch(p -> p.contains("unknown kind"));
        assertThat(objectProblems("t", Map.of("apiVersion", "Apps/V1", "kind", "Namespace", "metadata", Map.of("name", "Bad_Name"))))
                .hasSize(2);
    }

    /** Our own manifests (not the Kueue examples) live in wdrf-system and carry the app label. */
    @Test
    void wdrfObjectsAreLabelledAndLiveInTheControllerNamespace() {
        String ns = DeployFiles.doc("kubernetes/namespace.yaml", "Namespace").name();
        assertThat(ns).isEqualTo("wdrf-system");
        List<Doc> ours = new ArrayList<>();
        for (Path p : DeployFiles.yamlFiles()) {
            String rel = DeployFiles.root().relativize(p).toString();
            if (rel.startsWith("kubernetes/") || rel.startsWith("prometheus/")) {
                DeployFiles.docs(p).stream().filter(d -> !NON_OBJECTS.contains(d.kind())).forEach(ours::add);
            }
        }
        assertThat(ours).hasSizeGreaterThanOrEqualTo(12);
        for (Doc d : ours) {
            assertThat(Yaml2.optStr(d.body(), "metadata.labels.app\\.kubernetes\\.io/name")).as(d.where()).contains("wdrf");
            if (NAMESPACED.contains(d.kind())) {
                assertThat(Yaml2.str(d.body(), "metadata.namespace")).as(d.where()).isEqualTo(ns);
            }
        }
    }

    static List<String> objectProblems(String where, Map<String, Object> body) {
        List<String> problems = new ArrayList<>();
        Object kindObj = body.get("kind");
        Object apiObj = body.get("apiVersion");
        if (!(kindObj instanceof String) || !(apiObj instanceof String)) {
            problems.add(where + ": apiVersion and kind must be strings");
            return problems;
        }
        String kind = (String) kindObj;
        if (!API_VERSION.matcher((String) apiObj).matches()) {
            problems.add(where + ": malformed apiVersion " + apiObj);
        }
        if (NON_OBJECTS.contains(kind)) {
            return problems;
        }
        boolean namespaced = NAMESPACED.contains(kind);
        if (!namespaced && !CLUSTER_SCOPED.contains(kind)) {
            problems.add(where + ": unknown kind " + kind + " (add it to the scope table)");
            return problems;
        }
        String name = Yaml2.optStr(body, "metadata.name").orElse("");
        if (!DNS_1123_SUBDOMAIN.matcher(name).matches() || name.length() > 253) {
            problems.add(where + ": metadata.name '" + name + "' is not a DNS-1123 subdomain");
        }
        boolean hasNs = Yaml2.opt(body, "metadata.namespace").isPresent();
        if (namespaced && !hasNs) {
            problems.add(where + ": namespaced kind " + kind + " needs metadata.namespace");
        }
        if (!namespaced && hasNs) {
            problems.add(where + ": " + kind + " is cluster-scoped and must not set metadata.namespace");
        }
        return problems;
    }
}
