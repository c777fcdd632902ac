package io.wdrf.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine is what embedders ship; the Kueue admission model ({@code wdrf-kueue-model}, package
 * {@code io.wdrf.kueue}) is a test/simulation instrument. This test reads the engine's compiled classes and fails if
 * any of them refers to the model (a constant-pool reference to {@code io/wdrf/kueue/...}), so the dependency can
 * only point from the model to the engine.
 */
class EngineIsFreeOfTheKueueModelTest {

    private static final byte[] MODEL_PACKAGE = "io/wdrf/kueue/".getBytes(StandardCharsets.UTF_8);

    @Test
    void noEngineClassReferencesTheKueueModel() throws Exception {
        Path classes = Path.of(WdrfEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> classFiles;
        try (Stream<Path> walk = Files.walk(classes)) {
            classFiles = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertThat(classFiles).as("engine classes found under %s", classes).hasSizeGreaterThan(10);
        List<String> offenders = classFiles.stream().filter(EngineIsFreeOfTheKueueModelTest::refersToModel)
                .map(p -> classes.relativize(p).toString()).toList();
        assertThat(offenders).as("engine classes referring to io.wdrf.kueue").isEmpty();
    }

    @Test
    void theCheckSeesAReferenceWhenThereIsOne() {
        byte[] withReference = "xxLio/wdrf/kueue/InMemoryCluster;yy".getBytes(StandardCharsets.UTF_8);
        assertThat(indexOf(withReference, MODEL_PACKAGE)).isPositive();
        assertThat(indexOf("Lio/wdrf/engine/Reconciler;".getBytes(StandardCharsets.UTF_8), MODEL_PACKAGE)).isEqualTo(-1);
    }

    private static boolean refersToModel(Path classFile) {
        try {
            return indexOf(Files.readAllBytes(classFile), MODEL_PACKAGE) >= 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
