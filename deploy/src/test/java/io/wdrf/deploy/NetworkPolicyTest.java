package io.wdrf.deploy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped NetworkPolicy selects the controller pods, opens only the HTTP port, and lets out only API + DNS. */
class NetworkPolicyTest {

    private static Map<String, Object> policy() {
        return DeployFiles.doc("kubernetes/networkpolicy.yaml", "NetworkPolicy").body();
    }

    @Test
    void selectsTheControllerPodsOfTheDeployment() {
        Map<String, Object> np = policy();
        Map<String, Object> deployment = DeployFiles.doc("kubernetes/deployment.yaml", "Deployment").body();
        @SuppressWarnings("unchecked")
        Map<String, Object> podLabels = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) deployment.get("spec")).get("template")).get("metadata")).get("labels");
        @SuppressWarnings("unchecked")
        Map<String, Object> match = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) np.get("spec"))
                .get("podSelector")).get("matchLabels");
        assertThat(podLabels).containsAllEntriesOf(match);
        assertThat(Yaml2.str(np, "metadata.namespace")).isEqualTo(Yaml2.str(deployment, "metadata.namespace"));
        assertThat(Yaml2.strings(np, "spec.policyTypes")).containsExactlyInAnyOrder("Ingress", "Egress");
    }

    @Test
    void ingressOnlyToTheHttpPortFromLabelledNamespaces() {
        List<Map<String, Object>> ingress = Yaml2.maps(policy(), "spec.ingress");
        assertThat(ingress).hasSize(1);
        assertThat(Yaml2.maps(ingress.get(0), "ports")).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("port", 8080).containsEntry("protocol", "TCP"));
        assertThat(Yaml2.maps(ingress.get(0), "from")).isNotEmpty().allSatisfy(f ->
                assertThat(f).containsOnlyKeys("namespaceSelector"));
        Map<String, Object> service = DeployFiles.doc("kubernetes/service.yaml", "Service").body();
        assertThat(Yaml2.maps(service, "spec.ports")).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("port", 8080));
    }

    @Test
    void egressOnlyToApiServerPortsAndDns() {
        List<Object> ports = new ArrayList<>();
        for (Map<String, Object> rule : Yaml2.maps(policy(), "spec.egress")) {
            for (Map<String, Object> p : Yaml2.maps(rule, "ports")) {
                ports.add(p.get("protocol") + "/" + p.get("port"));
            }
        }
        assertThat(ports).containsExactlyInAnyOrder("TCP/443", "TCP/6443", "UDP/53", "TCP/53");
    }
}
