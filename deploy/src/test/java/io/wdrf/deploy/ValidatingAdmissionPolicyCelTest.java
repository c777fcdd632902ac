package io.wdrf.deploy;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Evaluates the WDRF marker ValidatingAdmissionPolicy the way the API server does: variables in order (each may
 * use the earlier ones), then the validation, messageExpression and auditAnnotation, for a table of CREATE/UPDATE
 * scenarios with the expected verdict. object/oldObject/request are untyped here (the API server types them from
 * OpenAPI), so this checks syntax, functions, macros and behaviour, not every typing rule.
 */
class ValidatingAdmissionPolicyCelTest {

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("request", SimpleType.DYN)
            .addVar("variables", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .build();

    private static final String U = "wdrf.x-k8s.io/urgent";
    private static final String A = "wdrf.x-k8s.io/approved";
    private static final String O = "wdrf.x-k8s.io/priority-override";
    private static final String EXPLANATION = "wdrf.x-k8s.io/explanation";
    private static final String KUEUE = "system:serviceaccount:kueue-system:kueue-controller-manager";
    private static final String WDRF = "system:serviceaccount:wdrf-system:wdrf";

    /** One admission request and the verdict the policy must give. */
    record Scenario(String name, String op, Map<String, String> oldLabels, Map<String, String> oldAnnotations,
                    Map<String, String> labels, Map<String, String> annotations, String user, List<String> groups,
                    boolean allowed) {
    }

    static List<Scenario> scenarios() {
        return List.of(
                new Scenario("create job without markers", "CREATE", null, null, Map.of("app", "x"), null, "alice", List.of("team-a"), true),
                new Scenario("create job without labels/annotations", "CREATE", null, null, null, null, "alice", null, true),
                new Scenario("create job with urgent label, user", "CREATE", null, null, Map.of(U, "true"), null, "alice", List.of("team-a"), false),
                new Scenario("create job with urgent label, admin", "CREATE", null, null, Map.of(U, "true"), null, "bob", List.of("x", "wdrf-admins"), true),
                new Scenario("Kueue creates Workload with copied label", "CREATE", null, null, Map.of(A, "true"), null, KUEUE, List.of("system:serviceaccounts"), true),
                new Scenario("create with override annotation, user", "CREATE", null, null, null, Map.of(O, "5000"), "alice", null, false),
                new Scenario("update keeping markers, user", "UPDATE", Map.of(U, "true"), Map.of(O, "1"), Map.of(U, "true", "x", "y"), Map.of(O, "1"), "alice", List.of(), true),
                new Scenario("update changing override value, user", "UPDATE", null, Map.of(O, "1"), null, Map.of(O, "2"), "alice", List.of(), false),
                new Scenario("update removing urgent label, user", "UPDATE", Map.of(U, "true"), null, Map.of(), null, "alice", List.of(), false),
                new Scenario("update dropping the labels map, user", "UPDATE", Map.of(A, "true"), null, null, null, "alice", List.of(), false),
                new Scenario("update moving marker label->annotation, user", "UPDATE", Map.of(A, "true"), null, null, Map.of(A, "true"), "alice", List.of(), false),
                new Scenario("WDRF writes explanation + boost on marked Workload", "UPDATE", Map.of(U, "true"), Map.of(EXPLANATION, "a"), Map.of(U, "true"), Map.of(EXPLANATION, "b", "kueue.x-k8s.io/priority-boost", "7"), WDRF, List.of("system:serviceaccounts"), true),
                new Scenario("WDRF adds explanation to unmarked Workload", "UPDATE", null, null, null, Map.of(EXPLANATION, "b"), WDRF, null, true),
                new Scenario("WDRF tries to add a marker", "UPDATE", null, null, null, Map.of(U, "true"), WDRF, List.of("system:serviceaccounts"), false),
                new Scenario("admin changes marker", "UPDATE", Map.of(U, "false"), null, Map.of(U, "true"), null, "bob", List.of("wdrf-admins"), true),
                new Scenario("user sets another wdrf.x-k8s.io key", "UPDATE", null, null, Map.of("wdrf.x-k8s.io/weight", "2"), null, "alice", null, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void policyGivesTheExpectedVerdict(Scenario s) throws Exception {
        Map<String, Object> spec = policySpec(Path.of("kubernetes/validating-admission-policy.yaml"));
        org.assertj.core.api.Assertions.assertThat(run(spec, s)).as(s.name()).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static boolean run(Map<String, Object> spec, Scenario s) throws Exception {
        Map<String, Object> userInfo = new HashMap<>();
        userInfo.put("username", s.user());
        if (s.groups() != null) {
            userInfo.put("groups", s.groups());
        }
        Map<String, Object> in = new HashMap<>();
        in.put("object", object(s.labels(), s.annotations()));
        in.put("oldObject", s.op().equals("CREATE") ? NullValue.NULL_VALUE : object(s.oldLabels(), s.oldAnnotations()));
        in.put("request", Map.of("operation", s.op(), "userInfo", userInfo));
        Map<String, Object> variables = new LinkedHashMap<>();
        in.put("variables", variables);
        for (Map<String, Object> v : (List<Map<String, Object>>) spec.get("variables")) {
            variables.put((String) v.get("name"), eval((String) v.get("expression"), in));
        }
        Map<String, Object> validation = ((List<Map<String, Object>>) spec.get("validations")).get(0);
        boolean allowed = (Boolean) eval((String) validation.get("expression"), in);
        String message = allowed ? "" : (String) eval((String) validation.get("messageExpression"), in);
        List<String> audits = new ArrayList<>();
        for (Map<String, Object> a : (List<Map<String, Object>>) spec.getOrDefault("auditAnnotations", List.of())) {
            audits.add((String) eval((String) a.get("valueExpression"), in));
        }
        boolean ok = allowed == s.allowed();
        if (!ok) {
            System.out.printf("FAIL %-52s allowed=%-5s changed=%s %s audit=%s%n", s.name(), allowed,
                    variables.get("changedMarkers"), message, audits);
        }
        return ok;
    }

    private static Object eval(String expr, Map<String, Object> in) throws Exception {
        CelAbstractSyntaxTree ast = CEL.compile(expr).getAst();
        return CEL.createProgram(ast).eval(in);
    }

    private static Map<String, Object> object(Map<String, String> labels, Map<String, String> annotations) {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("name", "x");
        if (labels != null) {
            metadata.put("labels", labels);
        }
        if (annotations != null) {
            metadata.put("annotations", annotations);
        }
        return Map.of("metadata", metadata);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> policySpec(Path file) throws Exception {
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
            Map<String, Object> m = (Map<String, Object>) doc;
            if ("ValidatingAdmissionPolicy".equals(m.get("kind"))) {
                return (Map<String, Object>) m.get("spec");
            }
        }
        throw new IllegalArgumentException("no ValidatingAdmissionPolicy in " + file);
    }
}
