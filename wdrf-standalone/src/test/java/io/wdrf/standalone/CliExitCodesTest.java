package io.wdrf.standalone;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line (parsed by picocli since issue 14) keeps the flags and exit codes documented in the README:
 * 0 success, 1 runtime failure, 2 invalid command line or configuration.
 */
class CliExitCodesTest {

    @ParameterizedTest(name = "[{index}] wdrf {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            --help                                      | 0 | out | Usage: wdrf <command>
            -h                                          | 0 | out | Usage: wdrf <command>
            --version                                   | 0 | out | wdrf
            ''                                          | 2 | err | Usage: wdrf <command>
            frobnicate                                  | 2 | err | wdrf: unknown command 'frobnicate'
            run --frob                                  | 2 | err | wdrf: unknown option --frob
            run --                                      | 2 | err | wdrf: unknown option --
            run --config                                | 2 | err | wdrf: --config needs a value
            run --config --once                         | 2 | err | wdrf: --config needs a value
            run --config /no/such.conf                  | 2 | err | wdrf: invalid configuration: --config: file /no/such.conf does not exist
            run --backend kubectl                       | 2 | err | wdrf: invalid configuration: wdrf.backend: 'kubectl' is not one of
            demo --steps 0                              | 2 | err | wdrf: --steps expects a positive integer (1 or more), got '0'
            demo --steps=-3                             | 2 | err | wdrf: --steps expects a positive integer (1 or more), got '-3'
            demo --step-delay -1                        | 2 | err | wdrf: --step-delay expects a non-negative integer, got '-1'
            demo extra                                  | 2 | err | wdrf: demo takes no arguments
            run --backend=memory --once                 | 0 | out | cycle ok: policy=wdrf
            --backend memory --once run                 | 0 | out | cycle ok: policy=wdrf
            run --backend memory --once --policy nope   | 2 | err | wdrf: invalid configuration: wdrf.policy
            queue --backend memory -n nlp               | 0 | out | showing namespace nlp
            shares --backend memory                     | 0 | out | ENTITLEMENT
            explain --backend memory nlp/no-such        | 1 | err | explain: workload nlp/no-such not found
            explain --backend memory no-slash           | 2 | err | explain: 'no-slash' is not <namespace>/<workload>
            explain --backend memory                    | 2 | err | wdrf: explain needs exactly one <namespace>/<workload>
            simulate --help                             | 0 | out | --trace
            --log-level WARN simulate --help            | 0 | out | --trace
            simulate --no-such-option x                 | 2 | err | ''
            """)
    void exitCodes(String line, int code, String stream, String expected) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = line == null || line.isBlank() ? new String[0] : line.trim().split("\\s+");
        int got = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
        String o = out.toString(StandardCharsets.UTF_8);
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(got).as("exit code; out=%s err=%s", o, e).isEqualTo(code);
        if (expected != null && !expected.isEmpty()) {
            assertThat(stream.equals("out") ? o : e).contains(expected);
        }
    }
}
