package io.wdrf.standalone;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin jar's policy selected by name in the standalone controller (in-process, on the demo cluster). Lives in
 * the controller's package only to reach its package-private entry point; a user runs
 * {@code ./wdrf run --policy sjf} with the jar in {@code wdrf.plugin-path}.
 */
class SjfInStandaloneTest {

    @Test
    void standaloneRunsThePluginPolicyByName() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"run", "--backend", "memory", "--once", "--policy", "sjf"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(), false);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("policy=sjf").contains("written=");
    }
}
