package io.wdrf.deploy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy on WDRF's own writes, evaluated like the API server: what the controller may and may not change. */
class WdrfWritesPolicyCelTest {

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("request", SimpleType.DYN)
            .addVar("variables", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .build();

    private static final String EXPL = "wdrf.x-k8s.io/explanation";
    private static final String BOOST = "kueue.x-k8s.io/priority-boost";

    private static Map<String, Object> wl(Object priority, String queue, Map<String, String> labels,
                                          Map<String, String> annotations) {
        Map<String, Object> meta = new HashMap<>();
        meta.put("name", "w");
        if (labels != null) {
            meta.put("labels", labels);
        }
        if (annotations != null) {
            meta.put("annotations", annotations);
        }
        Map<String, Object> spec = new HashMap<>();
        spec.put("queueName", queue);
        if (priority != null) {
            spec.put("priority", priority);
        }
        return Map.of("metadata", meta, "spec", spec);
    }

    static List<Object[]> scenarios() {
        Map<String, String> a0 = Map.of(EXPL, "old", "team", "x");
        return List.of(
                new Object[]{"sets spec.priority", wl(null, "lq", null, null), wl(500, "lq", null, null), true},
                new Object[]{"changes spec.priority and explanation", wl(1, "lq", null, a0),
                        wl(2, "lq", null, Map.of(EXPL, "new", "team", "x")), true},
                new Object[]{"sets the boost", wl(1, "lq", null, null), wl(1, "lq", null, Map.of(BOOST, "7")), true},
                new Object[]{"re-routes the queue", wl(1, "lq", null, null), wl(1, "other", null, null), false},
                new Object[]{"adds a marker", wl(1, "lq", null, null),
                        wl(1, "lq", null, Map.of("wdrf.x-k8s.io/urgent", "true")), false},
                new Object[]{"changes another annotation", wl(1, "lq", null, a0),
                        wl(1, "lq", null, Map.of(EXPL, "old", "team", "y")), false},
                new Object[]{"removes another annotation", wl(1, "lq", null, a0),
                        wl(1, "lq", null, Map.of(EXPL, "old")), false},
                new Object[]{"changes labels", wl(1, "lq", Map.of("a", "1"), null), wl(1, "lq", Map.of("a", "2"), null),
                        false},
                new Object[]{"nothing changes", wl(1, "lq", Map.of("a", "1"), a0), wl(1, "lq", Map.of("a", "1"), a0),
                        true});
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void onlyPriorityFieldsAndOwnAnnotations(String name, Map<String, Object> old, Map<String, Object> now,
                                             boolean allowed) throws Exception {
        Map<String, Object> spec = null;
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions()))
                .loadAll(Files.readString(Path.of("kubernetes/wdrf-writes-policy.yaml")))) {
            Map<String, Object> m = (Map<String, Object>) doc;
            if ("ValidatingAdmissionPolicy".equals(m.get("kind"))) {
                spec = (Map<String, Object>) m.get("spec");
            }
        }
        assertThat(spec).isNotNull();
        Map<String, Object> in = new HashMap<>();
        in.put("object", now);
        in.put("oldObject", old);
        in.put("request", Map.of("operation", "UPDATE", "userInfo",
                Map.of("username", "system:serviceaccount:wdrf-system:wdrf")));
        Map<String, Object> variables = new LinkedHashMap<>();
        in.put("variables", variables);
        Map<String, Object> cond = ((List<Map<String, Object>>) spec.get("matchConditions")).get(0);
        assertThat((Boolean) eval((String) cond.get("expression"), in)).as("matches WDRF's account").isTrue();
        for (Map<String, Object> v : (List<Map<String, Object>>) spec.get("variables")) {
            variables.put((String) v.get("name"), eval((String) v.get("expression"), in));
        }
        Map<String, Object> validation = ((List<Map<String, Object>>) spec.get("validations")).get(0);
        boolean ok = (Boolean) eval((String) validation.get("expression"), in);
        if (!ok) {
            assertThat((String) eval((String) validation.get("messageExpression"), in)).contains("may change only");
        }
        assertThat(ok).as(name + " " + variables).isEqualTo(allowed);
    }

    private static Object eval(String expr, Map<String, Object> in) throws Exception {
        return CEL.createProgram(CEL.compile(expr).getAst()).eval(in);
    }
}
