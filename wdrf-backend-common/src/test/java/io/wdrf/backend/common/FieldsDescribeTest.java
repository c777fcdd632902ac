package io.wdrf.backend.common;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Found by ProjectionFuzzTest (Jazzer): a projection error echoed a value's control characters. */
class FieldsDescribeTest {

    @Test
    void controlCharactersInValuesAreEscapedAndValuesCut() {
        assertThat(Fields.describe("a\u0016b\r\nINFO forged\u2028\u0085")).isEqualTo(
                "'a\\u0016b\\u000d\\u000aINFO forged\\u2028\\u0085'");
        assertThat(Fields.describe("x".repeat(500))).hasSize(80).endsWith("...");
        assertThat(Fields.describe(Map.of("k", 1))).isEqualTo("an object");
        assertThat(Fields.describe(List.of(1, 2))).isEqualTo("a list of 2");
        assertThat(Fields.describe(5L)).isEqualTo("5");
        for (char c = 0; c < 0x100; c++) {
            String d = Fields.describe("v" + c);
            assertThat(d.chars().noneMatch(x -> x < 0x20 || (x >= 0x7f && x <= 0x9f))).as("U+%04x", (int) c).isTrue();
        }
    }
}
