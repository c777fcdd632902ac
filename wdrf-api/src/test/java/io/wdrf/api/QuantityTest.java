package io.wdrf.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantityTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "1, 1",
            "100m, 0.1",
            "1500m, 1.5",
            "1.5, 1.5",
            ".5, 0.5",
            "5., 5",
            "+2, 2",
            "-2, -2",
            "1k, 1000",
            "1M, 1000000",
            "2G, 2000000000",
            "1T, 1000000000000",
            "1P, 1000000000000000",
            "1E, 1000000000000000000",
            "1Ki, 1024",
            "1Mi, 1048576",
            "1.5Gi, 1610612736",
            "1Ti, 1099511627776",
            "1Pi, 1125899906842624",
            "1Ei, 1152921504606846976",
            "2e3, 2000",
            "2E3, 2000",
            "1e-3, 0.001",
            "1.5e+2, 150",
            "250n, 0.00000025",
            "3u, 0.000003",
            "12e0, 12",
    })
    void parsesKubernetesGrammar(String text, String expected) {
        assertThat(Quantity.parse(text)).isEqualByComparingTo(new BigDecimal(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1", "1 ", "1KB", "1K", "1g", "1Mi2", "abc", "+", "-", ".", "1e", "1e+", "1ee3",
            "1.2.3", "1mi", "0x10", "1e99999", "--1", "1 Gi"})
    void rejectsMalformedInputNamingIt(String text) {
        assertThatThrownBy(() -> Quantity.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @org.junit.jupiter.api.Test
    void rejectsNull() {
        assertThatThrownBy(() -> Quantity.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void unknownSuffixMessageSaysWhy() {
        assertThatThrownBy(() -> Quantity.parse("16GB")).hasMessageContaining("unknown suffix 'GB'");
    }

    /** Issue 13.3: "1e309" matches the API's quantity pattern but is Infinity as a double and failed every cycle. */
    @ParameterizedTest
    @ValueSource(strings = {"1e309", "-1e309", "1e22", "2000Ei", "9999999999999999999999"})
    void rejectsOutOfRangeMagnitudes(String text) {
        assertThatThrownBy(() -> Quantity.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
    }

    @org.junit.jupiter.api.Test
    void acceptsTheLargestRealQuantities() {
        assertThat(Quantity.parse("8Ei")).isEqualByComparingTo(new BigDecimal("9223372036854775808"));
        assertThat(Quantity.parse("1e21")).isEqualByComparingTo(new BigDecimal("1e21"));
    }

    @org.junit.jupiter.api.Test
    void longOrControlCharacterInputGivesAShortEscapedMessage() {
        assertThatThrownBy(() -> Quantity.parse("1".repeat(100_000))).hasMessageContaining("longer than 64")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        assertThatThrownBy(() -> Quantity.parse("1\r\nINFO forged")).satisfies(e -> assertThat(e.getMessage())
                .doesNotContain("\r").doesNotContain("\n").contains("\\u000d"));
    }
}
