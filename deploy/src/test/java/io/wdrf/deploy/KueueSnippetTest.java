package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wdrf.deploy.DeployFiles.Doc;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Kueue excerpt configures what WDRF relies on, in the v1beta2 APIs. */
class KueueSnippetTest {

    static final String FILE = "kueue/kueue-config-snippet.yaml";

    @Test
    void configurationCopiesTheMarkerLabelsAndEnablesPriorityBoost() {
        Doc cfg = DeployFiles.doc(FILE, "Configuration");
        assertThat(Yaml2.str(cfg.body(), "apiVersion")).isEqualTo("config.kueue.x-k8s.io/v1beta2");
        assertThat(Yaml2.strings(cfg.body(), "integrations.labelKeysToCopy"))
                .containsExactlyInAnyOrderElementsOf(AdmissionPolicyTest.MARKERS);
        assertThat(Yaml2.strings(cfg.body(), "integrations.frameworks")).contains("batch/job");
        assertThat(Yaml2.get(cfg.body(), "featureGates.PriorityBoost")).isEqualTo(true);
        // v1beta2 removed fairSharing.enable: presence of the block enables fair sharing
        assertThat(Yaml2.opt(cfg.body(), "fairSharing.enable")).isEmpty();
        // the flag alternative is documented for operators who configure gates on the command line
        assertThat(DeployFiles.read(DeployFiles.path(FILE))).contains("--feature-gates=PriorityBoost=true");
    }

    @Test
    void exampleClusterQueueIsBestEffortFifoWithoutPreemption() {
        List<Doc> docs = DeployFiles.docs(DeployFiles.path(FILE));
        Doc cq = DeployFiles.doc(FILE, "ClusterQueue");
        assertThat(Yaml2.str(cq.body(), "apiVersion")).isEqualTo("kueue.x-k8s.io/v1beta2");
        assertThat(Yaml2.str(cq.body(), "spec.queueingStrategy")).isEqualTo("BestEffortFIFO");
        assertThat(Yaml2.str(cq.body(), "spec.preemption.withinClusterQueue")).isEqualTo("Never");
        Yaml2.optStr(cq.body(), "spec.preemption.reclaimWithinCohort").ifPresent(v -> assertThat(v).isEqualTo("Never"));
        // v1beta1-only field names must not appear in a v1beta2 object
        assertThat(Yaml2.map(cq.body(), "spec")).doesNotContainKeys("cohort", "admissionChecks");
        assertThat(Yaml2.map(cq.body(), "spec")).containsKey("namespaceSelector");

        Set<String> flavors = docs.stream().filter(d -> "ResourceFlavor".equals(d.kind())).map(Doc::name)
                .collect(Collectors.toSet());
        for (Map<String, Object> group : Yaml2.maps(cq.body(), "spec.resourceGroups")) {
            List<String> covered = Yaml2.strings(group, "coveredResources");
            for (Map<String, Object> flavor : Yaml2.maps(group, "flavors")) {
                assertThat(flavors).contains((String) flavor.get("name"));
                List<String> names = Yaml2.maps(flavor, "resources").stream().map(r -> (String) r.get("name"))
                        .collect(Collectors.toList());
                assertThat(names).containsExactlyElementsOf(covered);
                for (Map<String, Object> r : Yaml2.maps(flavor, "resources")) {
                    assertThat(r).containsKey("nominalQuota");
                }
            }
        }
        for (Doc d : docs) {
            if (!"Configuration".equals(d.kind())) {
                assertThat(Yaml2.str(d.body(), "apiVersion")).as(d.where()).isEqualTo("kueue.x-k8s.io/v1beta2");
            }
        }
        Doc lq = DeployFiles.doc(FILE, "LocalQueue");
        assertThat(Yaml2.str(lq.body(), "spec.clusterQueue")).isEqualTo(cq.name());
    }
}
