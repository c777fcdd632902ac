package io.wdrf.standalone;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10 item 10: {@code --steps -3} and {@code --steps 0} get the same message and exit code. */
class CliMessagesTest {

    private String err(int expectedCode, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8), Map.of(), false);
        assertThat(code).isEqualTo(expectedCode);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void nonPositiveStepsGetOneConsistentMessage() {
        for (String bad : new String[]{"-3", "0", "x", "1.5"}) {
            assertThat(err(2, "demo", "--steps", bad)).startsWith("wdrf: --steps expects a positive integer (1 or more), got '"
                    + bad + "'");
        }
        assertThat(err(2, "demo", "--step-delay", "-1")).contains("--step-delay expects a non-negative integer, got '-1'");
    }
}
