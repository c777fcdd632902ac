package io.wdrf.hami;

import io.wdrf.api.Quantity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random fuzzing (in place of a Jazzer run, which needs its agent and engine) of the two parsers that take
 * tenant- or device-plugin-controlled text: the HAMi node registration annotation and Kubernetes quantities.
 * Mutations of valid inputs (digit runs, exponents, deep nesting, control characters, truncation) may only be accepted
 * or rejected with an {@link IllegalArgumentException} whose message is short and free of control characters.
 * 200,000 inputs per run in CI; {@code -Dwdrf.fuzz.iterations=N} for longer runs.
 */
class BoundedInputFuzzTest {

    private static final List<String> SEEDS = List.of(
            "[{\"id\":\"GPU-0\",\"index\":0,\"count\":10,\"devmem\":81920,\"devcore\":100,\"type\":\"NVIDIA-A100\","
                    + "\"numa\":0,\"mode\":\"hami-core\",\"health\":true}]",
            "GPU-0,10,81920,100,NVIDIA-A100,0,true:GPU-1,10,81920,100,NVIDIA-A100,0,true:",
            "1.5Gi", "100m", "2e3", "8Ei", "0.5");
    private static final String[] FRAGMENTS = {"e999999999", "1e309", "9".repeat(80), "[", "{", "]", "}", "\"", "\r",
            "\n", "\u2028", "\u0000", ",", ":", "-", ".", "E+", "Ki", "null", "true", "\\u0000", "[".repeat(100)};

    private static String mutate(Random r, String s) {
        StringBuilder b = new StringBuilder(s);
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            int at = b.length() == 0 ? 0 : r.nextInt(b.length() + 1);
            switch (r.nextInt(4)) {
                case 0 -> b.insert(at, FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
                case 1 -> {
                    if (b.length() > 0) {
                        b.deleteCharAt(Math.min(at, b.length() - 1));
                    }
                }
                case 2 -> b.insert(at, (char) r.nextInt(128));
                default -> b.setLength(Math.min(b.length(), at));
            }
        }
        return b.toString();
    }

    private static void checkMessage(IllegalArgumentException e, String input) {
        String m = e.getMessage();
        assertThat(m).as("message for input of %d chars", input.length()).isNotNull().hasSizeLessThan(600);
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            assertThat(c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029').as("control character in: %s", m).isFalse();
        }
    }

    @Test
    void mutatedAnnotationsAndQuantitiesAreAcceptedOrRejectedWithShortCleanMessages() {
        int iterations = Integer.getInteger("wdrf.fuzz.iterations", 200_000);
        Random r = new Random(13);
        int rejected = 0;
        for (int i = 0; i < iterations; i++) {
            String seed = SEEDS.get(r.nextInt(SEEDS.size()));
            String input = mutate(r, seed);
            try {
                if (seed.startsWith("[") || seed.startsWith("GPU")) {
                    NodeRegistration.decode(input);
                } else {
                    Quantity.parse(input);
                }
            } catch (IllegalArgumentException e) {
                rejected++;
                checkMessage(e, input);
            }
        }
        System.out.printf("fuzz: %d inputs, %d rejected, 0 escaped exceptions%n", iterations, rejected);
        assertThat(rejected).as("the mutations do hit the error paths").isGreaterThan(iterations / 4);
    }
}
