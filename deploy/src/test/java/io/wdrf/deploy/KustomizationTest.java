package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wdrf.deploy.DeployFiles.Doc;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** kustomization.yaml lists every manifest of deploy/kubernetes, once, and nothing else. */
class KustomizationTest {

    static Set<String> missingOrExtra(List<String> listed, Set<String> present) {
        Set<String> diff = new TreeSet<>();
        for (String p : present) {
            if (!listed.contains(p)) {
                diff.add("not listed: " + p);
            }
        }
        for (String l : listed) {
            if (!present.contains(l)) {
                diff.add("listed but missing: " + l);
            }
        }
        if (listed.size() != new TreeSet<>(listed).size()) {
            diff.add("duplicates in " + listed);
        }
        return diff;
    }

    @Test
    void listsEveryManifestExactlyOnce() {
        Doc k = DeployFiles.doc("kubernetes/kustomization.yaml", "Kustomization");
        assertThat(Yaml2.str(k.body(), "apiVersion")).isEqualTo("kustomize.config.k8s.io/v1beta1");
        List<String> listed = Yaml2.strings(k.body(), "resources");
        Path dir = DeployFiles.root().resolve("kubernetes");
        Set<String> present = DeployFiles.yamlFiles().stream()
                .filter(p -> p.getParent().equals(dir))
                .map(p -> p.getFileName().toString())
                .filter(n -> !n.equals("kustomization.yaml"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(present).hasSizeGreaterThanOrEqualTo(11);
        assertThat(missingOrExtra(listed, present)).isEmpty();
        for (String f : listed) {
            assertThat(DeployFiles.docs(dir.resolve(f))).as(f).isNotEmpty();
        }
    }

    @Test
    void diffDetectsUnlistedMissingAndDuplicateFiles() {
        assertThat(missingOrExtra(List.of("a.yaml", "b.yaml"), Set.of("a.yaml", "c.yaml")))
                .containsExactly("listed but missing: b.yaml", "not listed: c.yaml");
        assertThat(missingOrExtra(List.of("a.yaml", "a.yaml"), Set.of("a.yaml"))).hasSize(1);
    }
}
