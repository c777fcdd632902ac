package io.wdrf.backend.common;

import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MergePatchTest {

    private static PriorityUpdate upd(PriorityTarget t, int v, String explanation) {
        return new PriorityUpdate(new WorkloadId("ns", "w"), "", t, v, null, explanation);
    }

    @Test
    void specPriorityOnly() {
        assertThat(MergePatch.forUpdate(upd(PriorityTarget.SPEC_PRIORITY, 42, null)))
                .isEqualTo("{\"spec\":{\"priority\":42}}");
        assertThat(MergePatch.forUpdate(upd(PriorityTarget.SPEC_PRIORITY, -2147483648, null)))
                .isEqualTo("{\"spec\":{\"priority\":-2147483648}}");
    }

    @Test
    void reservationGateSetAndRemovedWithoutTouchingThePriority() {
        java.util.Map<String, String> set = new java.util.TreeMap<>();
        set.put("kueue.x-k8s.io/admission-gated-by", PriorityUpdate.RESERVATION_GATE);
        set.put(PriorityUpdate.RESERVED_FOR_ANNOTATION, "b/big");
        assertThat(MergePatch.forUpdate(PriorityUpdate.annotations(new WorkloadId("ns", "w"), "u", set)))
                .isEqualTo("{\"metadata\":{\"annotations\":{\"kueue.x-k8s.io/admission-gated-by\":\"wdrf.x-k8s.io/reservation\","
                        + "\"wdrf.x-k8s.io/reserved-for\":\"b/big\"}}}");
        java.util.Map<String, String> remove = new java.util.HashMap<>();
        remove.put("kueue.x-k8s.io/admission-gated-by", null);
        remove.put(PriorityUpdate.RESERVED_FOR_ANNOTATION, null);
        assertThat(MergePatch.forUpdate(PriorityUpdate.annotations(new WorkloadId("ns", "w"), "u", remove)))
                .isEqualTo("{\"metadata\":{\"annotations\":{\"kueue.x-k8s.io/admission-gated-by\":null,"
                        + "\"wdrf.x-k8s.io/reserved-for\":null}}}");
    }

    @Test
    void boostIsAStringAnnotation() {
        assertThat(MergePatch.forUpdate(upd(PriorityTarget.PRIORITY_BOOST, -7, null)))
                .isEqualTo("{\"metadata\":{\"annotations\":{\"kueue.x-k8s.io/priority-boost\":\"-7\"}}}");
    }

    @Test
    void explanationTravelsInTheSamePatch() {
        assertThat(MergePatch.forUpdate(upd(PriorityTarget.SPEC_PRIORITY, 5, "fair share 0.25")))
                .isEqualTo("{\"metadata\":{\"annotations\":{\"wdrf.x-k8s.io/explanation\":\"fair share 0.25\"}},"
                        + "\"spec\":{\"priority\":5}}");
        assertThat(MergePatch.forUpdate(upd(PriorityTarget.PRIORITY_BOOST, 5, "e")))
                .isEqualTo("{\"metadata\":{\"annotations\":{\"kueue.x-k8s.io/priority-boost\":\"5\","
                        + "\"wdrf.x-k8s.io/explanation\":\"e\"}}}");
    }

    @Test
    void escaping() {
        assertThat(MergePatch.quote("a\"b\\c\nd\te\u0001f/\u00e9\u2028"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f/\u00e9\\u2028\"");
        assertThat(MergePatch.quote("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
        assertThat(MergePatch.quote("x\ud83dy")).isEqualTo("\"x\\ud83dy\"");
    }

    /** Random strings survive a round trip through the patch writer and an independent JSON reader. */
    @Test
    @SuppressWarnings("unchecked")
    void randomExplanationsRoundTrip() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int k = 0; k < len; k++) {
                int kind = rnd.nextInt(4);
                s.append(kind == 0 ? (char) rnd.nextInt(0x20) : kind == 1 ? "\"\\/{}:,".charAt(rnd.nextInt(7))
                        : (char) (0x20 + rnd.nextInt(0x3000)));
            }
            String text = s.toString().replaceAll("[\\ud800-\\udfff]", "?");
            int v = rnd.nextInt();
            Map<String, Object> tree = (Map<String, Object>) MiniJson.parse(
                    MergePatch.forUpdate(upd(PriorityTarget.SPEC_PRIORITY, v, text)));
            Map<String, Object> ann = (Map<String, Object>) ((Map<String, Object>) tree.get("metadata")).get("annotations");
            assertThat(ann.get(PriorityUpdate.EXPLANATION_ANNOTATION)).isEqualTo(text);
            assertThat(((Map<String, Object>) tree.get("spec")).get("priority")).isEqualTo((long) v);
        }
    }
}
