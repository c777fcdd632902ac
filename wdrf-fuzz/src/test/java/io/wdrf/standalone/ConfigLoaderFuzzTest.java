package io.wdrf.standalone;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The configuration loader on arbitrary HOCON and seed YAML files and seed environment variables: it yields settings
 * or an {@link InvalidConfigException} (exit code 2 with the key and the reason); no other exception escapes.
 */
class ConfigLoaderFuzzTest {

    private static Path dir;

    @BeforeAll
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("wdrf-config-fuzz");
    }

    @AfterAll
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static final String[] ENV = {"LOG_LEVEL", "LOOP_INTERVAL", "AGING_COEFFICIENT", "MAX_AGING_TIME",
            "SCHEDULING_INTERVAL", "KUEUE_ENABLED", "WDRF_WRITE_ORDER", "WDRF_LABEL_TENANTS", "WDRF_NAMESPACE_WEIGHTS"};

    @FuzzTest(maxDuration = "10s")
    void load(FuzzedDataProvider data) {
        boolean yaml = data.consumeBoolean();
        Map<String, String> env = new java.util.TreeMap<>();
        int vars = data.consumeInt(0, 2);
        for (int i = 0; i < vars; i++) {
            env.put(data.pickValue(ENV), data.consumeString(20));
        }
        String text = data.consumeRemainingAsString();
        Path file = dir.resolve(yaml ? "config.yaml" : "wdrf.conf");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ConfigLoader.settings(ConfigLoader.load(file, env, Map.of(), null, ConfigLoaderFuzzTest.class.getClassLoader()),
                    env);
        } catch (InvalidConfigException e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new AssertionError("invalid configuration without a reason", e);
            }
        }
    }
}
