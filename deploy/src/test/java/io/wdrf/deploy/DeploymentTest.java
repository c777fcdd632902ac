package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wdrf.deploy.DeployFiles.Doc;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Deployment, Service and ServiceMonitor agree with each other and with the hardening requirements. */
class DeploymentTest {

    static Map<String, Object> deployment() {
        return DeployFiles.doc("kubernetes/deployment.yaml", "Deployment").body();
    }

    static Map<String, Object> podSpec() {
        return Yaml2.map(deployment(), "spec.template.spec");
    }

    static Map<String, Object> container() {
        List<Map<String, Object>> containers = Yaml2.maps(podSpec(), "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    /** Resolves a probe/service port (number or container port name) to the container port number. */
    static int resolvePort(Object port) {
        if (port instanceof Integer) {
            return (Integer) port;
        }
        for (Map<String, Object> p : Yaml2.maps(container(), "ports")) {
            if (port.equals(p.get("name"))) {
                return (Integer) p.get("containerPort");
            }
        }
        throw new AssertionError("port " + port + " is not a container port");
    }

    @Test
    void replicasSelectorAndServiceAccount() {
        Map<String, Object> d = deployment();
        assertThat(Yaml2.get(d, "spec.replicas")).isEqualTo(1);
        Map<String, Object> selector = Yaml2.map(d, "spec.selector.matchLabels");
        assertThat(Yaml2.map(d, "spec.template.metadata.labels")).containsAllEntriesOf(selector);
        assertThat(Yaml2.str(podSpec(), "serviceAccountName"))
                .isEqualTo(DeployFiles.doc("kubernetes/serviceaccount.yaml", "ServiceAccount").name());
        assertThat(Yaml2.get(podSpec(), "terminationGracePeriodSeconds")).isEqualTo(30);
    }

    @Test
    void resourcesAreTheAgreedRequestsAndLimits() {
        assertThat(Yaml2.map(container(), "resources.requests")).containsExactlyInAnyOrderEntriesOf(
                Map.of("cpu", "100m", "memory", "128Mi"));
        assertThat(Yaml2.map(container(), "resources.limits")).containsExactlyInAnyOrderEntriesOf(
                Map.of("cpu", "500m", "memory", "512Mi"));
    }

    @Test
    void probesHitHealthAndReadinessOnTheHttpPort() {
        int httpPort = HoconConfigTest.parse().getInt("wdrf.http.port");
        Map<String, Object> c = container();
        assertThat(Yaml2.str(c, "livenessProbe.httpGet.path")).isEqualTo("/healthz");
        assertThat(resolvePort(Yaml2.get(c, "livenessProbe.httpGet.port"))).isEqualTo(httpPort);
        assertThat(Yaml2.str(c, "readinessProbe.httpGet.path")).isEqualTo("/readyz");
        assertThat(resolvePort(Yaml2.get(c, "readinessProbe.httpGet.port"))).isEqualTo(httpPort);
        Optional<Object> startup = Yaml2.opt(c, "startupProbe");
        if (startup.isPresent()) {
            assertThat(Yaml2.str(c, "startupProbe.httpGet.path")).isEqualTo("/healthz");
        }
        assertThat(Yaml2.maps(c, "ports")).anySatisfy(p -> assertThat(p.get("containerPort")).isEqualTo(httpPort));
    }

    @Test
    void podAndContainerAreHardened() {
        Map<String, Object> pod = podSpec();
        assertThat(Yaml2.get(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat((Integer) Yaml2.get(pod, "securityContext.runAsUser")).isPositive();
        assertThat(Yaml2.str(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
        assertThat(pod).doesNotContainKeys("hostNetwork", "hostPID", "hostIPC");

        Map<String, Object> c = container();
        assertThat(Yaml2.get(c, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(Yaml2.get(c, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(Yaml2.strings(c, "securityContext.capabilities.drop")).containsExactly("ALL");
        assertThat(Yaml2.opt(c, "securityContext.capabilities.add")).isEmpty();
        assertThat(Yaml2.opt(c, "securityContext.privileged").orElse(false)).isEqualTo(false);
        Optional<Object> uid = Yaml2.opt(c, "securityContext.runAsUser");
        uid.ifPresent(u -> assertThat((Integer) u).isPositive());
    }

    @Test
    void readOnlyRootFilesystemGetsAWritableTmp() {
        Map<String, Object> tmpMount = Yaml2.maps(container(), "volumeMounts").stream()
                .filter(m -> "/tmp".equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("no /tmp mount"));
        Map<String, Object> volume = volume((String) tmpMount.get("name"));
        assertThat(volume).containsKey("emptyDir");
    }

    @Test
    void configMapIsMountedWhereTheArgsPointAndEnvIsSet() {
        Map<String, Object> c = container();
        Map<String, Object> mount = Yaml2.maps(c, "volumeMounts").stream()
                .filter(m -> "/etc/wdrf".equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("no /etc/wdrf mount"));
        assertThat(mount.get("readOnly")).isEqualTo(true);
        Map<String, Object> volume = volume((String) mount.get("name"));
        Doc cm = DeployFiles.doc("kubernetes/configmap.yaml", "ConfigMap");
        assertThat(Yaml2.str(volume, "configMap.name")).isEqualTo(cm.name());
        assertThat(Yaml2.map(cm.body(), "data")).containsKey("application.conf");

        List<String> args = Yaml2.strings(c, "args");
        int i = args.indexOf("--config");
        assertThat(i).as("--config in args").isNotNegative();
        assertThat(args.get(i + 1)).isEqualTo("/etc/wdrf/application.conf");

        List<Map<String, Object>> env = Yaml2.maps(c, "env");
        assertThat(env).anySatisfy(e -> assertThat(e.get("name")).isEqualTo("LOG_LEVEL"));
        assertThat(env.stream().map(e -> e.get("name")).distinct().count()).isEqualTo(env.size());
    }

    @Test
    void imageIsPinned() {
        String image = Yaml2.str(container(), "image");
        assertThat(DockerfileTest.imageProblems(image)).isEmpty();
    }

    @Test
    void serviceExposesTheHttpPortOfTheSelectedPods() {
        Map<String, Object> svc = DeployFiles.doc("kubernetes/service.yaml", "Service").body();
        assertThat(Yaml2.map(deployment(), "spec.template.metadata.labels"))
                .containsAllEntriesOf(Yaml2.map(svc, "spec.selector"));
        List<Map<String, Object>> ports = Yaml2.maps(svc, "spec.ports");
        assertThat(ports).isNotEmpty();
        for (Map<String, Object> p : ports) {
            assertThat(p.get("name")).isInstanceOf(String.class);
            assertThat(resolvePort(p.getOrDefault("targetPort", p.get("port"))))
                    .isEqualTo(HoconConfigTest.parse().getInt("wdrf.http.port"));
        }
    }

    @Test
    void serviceMonitorScrapesTheServiceMetricsEndpoint() {
        Doc sm = DeployFiles.doc("kubernetes/servicemonitor.yaml", "ServiceMonitor");
        Doc svc = DeployFiles.doc("kubernetes/service.yaml", "Service");
        assertThat(Yaml2.str(sm.body(), "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(Yaml2.map(svc.body(), "metadata.labels"))
                .containsAllEntriesOf(Yaml2.map(sm.body(), "spec.selector.matchLabels"));
        assertThat(Yaml2.strings(sm.body(), "spec.namespaceSelector.matchNames"))
                .contains(Yaml2.str(svc.body(), "metadata.namespace"));
        List<Object> servicePortNames = Yaml2.maps(svc.body(), "spec.ports").stream().map(p -> p.get("name"))
                .collect(java.util.stream.Collectors.toList());
        List<Map<String, Object>> endpoints = Yaml2.maps(sm.body(), "spec.endpoints");
        assertThat(endpoints).isNotEmpty();
        for (Map<String, Object> e : endpoints) {
            assertThat(servicePortNames).contains(e.get("port"));
            assertThat(e.get("path")).isEqualTo("/metrics");
        }
    }

    private static Map<String, Object> volume(String name) {
        return Yaml2.maps(podSpec(), "volumes").stream().filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
