package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README documents every artefact and the RBAC self-checks. */
class ReadmeTest {

    @Test
    void mentionsEveryArtefactAndTheRbacChecks() {
        String readme = DeployFiles.read(DeployFiles.path("README.md"));
        Path root = DeployFiles.root();
        for (Path p : DeployFiles.artefacts()) {
            String rel = root.relativize(p).toString();
            if (!rel.equals("README.md")) {
                assertThat(readme).as("README mentions %s", rel).contains(p.getFileName().toString());
            }
        }
        assertThat(readme).contains("kubectl apply -k").contains("kubectl auth can-i")
                .contains("--as system:serviceaccount:wdrf-system:wdrf").contains("wdrf-admins");
    }
}
