package io.wdrf.engine;

import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Maps edited from the last one equal a HashMap edited alike, and no edit ever changes an earlier map. */
class IdMapTest {

    @Test
    void editsFromTheLastMapEqualAHashMapAndNeverChangeTheBase() {
        Random rnd = new Random(3);
        for (int run = 0; run < 40; run++) {
            List<IdMap<String>> built = new ArrayList<>();
            List<Map<WorkloadId, String>> expected = new ArrayList<>();
            Map<WorkloadId, String> model = new HashMap<>();
            IdMap<String> last = null;
            int unchanged = 0;
            for (int cycle = 0; cycle < 30; cycle++) {
                IdMap.Editor<String> e = IdMap.editor(last, model.size() + rnd.nextInt(8));
                int edits = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(40);
                for (int k = 0; k < edits; k++) {
                    // equal but not identical ids, so lookups compare by equality too
                    WorkloadId id = new WorkloadId("ns" + rnd.nextInt(3), "w" + rnd.nextInt(60));
                    switch (rnd.nextInt(3)) {
                        case 0 -> {
                            e.remove(id);
                            model.remove(id);
                        }
                        case 1 -> { // the value it already has, when it has one (no change)
                            String v = model.getOrDefault(id, "cq" + rnd.nextInt(3));
                            e.put(id, new String(v));
                            model.put(id, v);
                        }
                        default -> {
                            String v = "cq" + rnd.nextInt(3);
                            e.put(id, v);
                            model.put(id, v);
                        }
                    }
                }
                IdMap<String> m = e.build();
                if (last != null && m == last) {
                    unchanged++;
                }
                assertThat(m).isEqualTo(model);
                assertThat(m.size()).isEqualTo(model.size());
                for (WorkloadId id : model.keySet()) {
                    assertThat(m.get(new WorkloadId(id.namespace(), id.name()))).isEqualTo(model.get(id));
                }
                built.add(m);
                expected.add(new HashMap<>(model));
                last = m;
                for (int i = 0; i < built.size(); i++) { // every earlier map as it was built
                    assertThat(built.get(i)).isEqualTo(expected.get(i));
                }
            }
            assertThat(unchanged).as("cycles without a change return the base map itself").isPositive();
        }
    }
}
