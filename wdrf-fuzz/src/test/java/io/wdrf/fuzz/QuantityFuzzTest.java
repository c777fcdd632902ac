package io.wdrf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wdrf.api.Quantity;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Kubernetes quantities (container requests, quotas, node allocatable: tenant- and node-controlled text). A quantity
 * is accepted with a finite, bounded value, or rejected with an {@link IllegalArgumentException} whose message is
 * short and clean; anything else (another exception, a hang, a huge allocation) is a finding.
 */
class QuantityFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        BigDecimal exact;
        try {
            exact = Quantity.parse(text);
        } catch (IllegalArgumentException e) {
            Clean.check(e.getMessage());
            return;
        }
        double d = Quantity.parseDouble(text);
        if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) > 1e22) {
            throw new AssertionError("accepted '" + text + "' as " + d);
        }
        if (exact.precision() > 200) {
            throw new AssertionError("accepted a quantity of precision " + exact.precision());
        }
    }
}
