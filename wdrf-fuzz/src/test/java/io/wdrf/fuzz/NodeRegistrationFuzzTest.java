package io.wdrf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wdrf.hami.NodeRegistration;

import java.nio.charset.StandardCharsets;

/**
 * The HAMi node registration annotation ({@code hami.io/node-nvidia-register}, written by the device plugin and by
 * anyone who may patch node annotations), in all three encodings. Decoded, with card counts and memory that the
 * accounting can sum, or rejected with a short clean {@link IllegalArgumentException}; nothing else escapes.
 */
class NodeRegistrationFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        NodeRegistration r;
        try {
            r = NodeRegistration.decode(text);
        } catch (IllegalArgumentException e) {
            Clean.check(e.getMessage());
            return;
        }
        if (r.healthyCards() < 0 || r.healthyMemoryMiB() < 0) {
            throw new AssertionError("negative capacity from '" + text + "'");
        }
        r.minHealthyMemoryMiB();
    }
}
