package io.wdrf.standalone;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 7: the "8 x A100" demo books at most 8 physical cards, every share it shows is at most 1, and the
 * SHARE column of the pending rows is the share after that step's admissions (the same numbers as the team line).
 */
class DemoSharesTest {

    @Test
    void demoNeverShowsImpossibleNumbers() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"demo", "--steps", "12", "--no-color", "--step-delay", "0"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                Map.of(), false);
        assertThat(code).isZero();
        String o = out.toString(StandardCharsets.UTF_8);

        Matcher booked = Pattern.compile("GPUs booked:\\s+(\\d+\\.\\d+) of (\\d+) physical cards").matcher(o);
        int steps = 0;
        while (booked.find()) {
            steps++;
            assertThat(Integer.parseInt(booked.group(2))).isEqualTo(8);
            assertThat(Double.parseDouble(booked.group(1))).isLessThanOrEqualTo(8.0);
        }
        assertThat(steps).isEqualTo(12);

        Matcher share = Pattern.compile("share (\\d+\\.\\d+)").matcher(o);
        int shares = 0;
        while (share.find()) {
            shares++;
            assertThat(Double.parseDouble(share.group(1))).as(share.group()).isLessThanOrEqualTo(1.0);
        }
        assertThat(shares).isGreaterThan(12);

        // each pending row's SHARE equals its tenant's share on that step's team line (after admissions)
        String[] blocks = o.split("── step ");
        int checked = 0;
        for (String b : blocks) {
            Map<String, String> team = new java.util.TreeMap<>();
            Matcher t = Pattern.compile("([a-z-]+) \\d+ \\(share (\\d+\\.\\d+)").matcher(b);
            while (t.find()) {
                team.put(t.group(1), t.group(2));
            }
            Matcher row = Pattern.compile("\\n#\\d+\\s+\\S+\\s+\\S+\\s+\\d+\\s+(\\S+)\\s+(\\d+\\.\\d+)\\s").matcher(b);
            while (row.find()) {
                if (team.containsKey(row.group(1))) {
                    assertThat(row.group(2)).as(row.group()).isEqualTo(team.get(row.group(1)));
                    checked++;
                }
                assertThat(Double.parseDouble(row.group(2))).isLessThanOrEqualTo(1.0);
            }
        }
        assertThat(checked).isGreaterThan(10);
    }
}
