package io.wdrf.sim;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleProgressTest {

    @Test
    void etaExtrapolatesTheFinishedFraction() {
        assertThat(ConsoleProgress.timing(0.25, 30_000_000_000L)).isEqualTo("elapsed 30s ETA 1m30s");
        assertThat(ConsoleProgress.timing(0.5, 3_600_000_000_000L)).isEqualTo("elapsed 1h00m00s ETA 1h00m00s");
        assertThat(ConsoleProgress.timing(0.0, 5_000_000_000L)).isEqualTo("elapsed 5s ETA ?");
    }

    @Test
    void plainLinesCarryElapsedAndEtaPerPolicy() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] now = {0};
        ConsoleProgress p = new ConsoleProgress(new PrintStream(out, true, StandardCharsets.UTF_8), false, () -> now[0]);
        p.update("wdrf", 0, 100, 0);
        now[0] = 10_000_000_000L;
        p.update("wdrf", 20, 100, 3600);
        now[0] = 20_000_000_000L;
        p.update("fifo", 0, 100, 0); // a new policy restarts the clock
        now[0] = 25_000_000_000L;
        p.update("fifo", 50, 100, 0);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("wdrf: 20% (20/100 jobs finished, simulated 0.0 days, elapsed 10s ETA 40s)");
        assertThat(text).contains("fifo: 50% (50/100 jobs finished, simulated 0.0 days, elapsed 5s ETA 5s)");
    }

    @Test
    void aSlowReplayPrintsAPlainLineEveryThirtySecondsBetweenDeciles() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] now = {0};
        ConsoleProgress p = new ConsoleProgress(new PrintStream(out, true, StandardCharsets.UTF_8), false, () -> now[0]);
        p.update("wdrf", 0, 1000, 0);
        now[0] = 29_000_000_000L;
        p.update("wdrf", 20, 1000, 86_400); // 2 %, 29 s: nothing yet
        String before = out.toString(StandardCharsets.UTF_8);
        assertThat(before).doesNotContain("2.0%");
        now[0] = 31_000_000_000L;
        p.update("wdrf", 25, 1000, 2 * 86_400);
        now[0] = 32_000_000_000L;
        p.update("wdrf", 26, 1000, 2 * 86_400); // 1 s after the last line: nothing
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("wdrf: 2.5% (25/1000 jobs finished, simulated 2.0 days, elapsed 31s ETA 20m09s)");
        assertThat(text).doesNotContain("26/1000");
    }

    @Test
    void theTerminalBarIsRedrawnAtMostFourTimesASecondButAlwaysAtTheEnd() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] now = {0};
        ConsoleProgress p = new ConsoleProgress(new PrintStream(out, true, StandardCharsets.UTF_8), true, () -> now[0]);
        p.update("fifo", 0, 10, 0);
        now[0] = 100_000_000L;
        p.update("fifo", 3, 10, 0);
        now[0] = 300_000_000L;
        p.update("fifo", 4, 10, 0);
        now[0] = 310_000_000L;
        p.update("fifo", 10, 10, 0);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("3/10 jobs").contains("4/10 jobs").contains("10/10 jobs");
    }
}
