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
        return verdict(spec, s.name(), s.op(), object(s.labels(), s.annotations()),
                s.op().equals("CREATE") ? null : object(s.oldLabels(), s.oldAnnotations()), s.user(), s.groups())
                == s.allowed();
    }

    /** A Deployment-like object whose pod template carries these labels. */
    private static Map<String, Object> withTemplate(String path, Map<String, String> templateLabels, int replicas) {
        Map<String, Object> meta = new HashMap<>();
        meta.put("labels", templateLabels);
        Map<String, Object> inner = Map.of("metadata", meta);
        Map<String, Object> spec = new HashMap<>();
        spec.put("replicas", replicas);
        switch (path) {
            case "template" -> spec.put("template", inner);
            case "jobTemplate" -> spec.put("jobTemplate", Map.of("spec", Map.of("template", inner)));
            default -> spec.put("leaderWorkerTemplate", Map.of("workerTemplate", inner));
        }
        return Map.of("metadata", Map.of("name", "x"), "spec", spec);
    }

    static List<Object[]> templateScenarios() {
        List<Object[]> out = new ArrayList<>();
        for (String path : List.of("template", "jobTemplate", "leaderWorkerTemplate")) {
            out.add(new Object[]{path + ": user creates marked template", path, "CREATE", null, Map.of(U, "true"), 1, "alice", List.of(), false});
            out.add(new Object[]{path + ": admin creates marked template", path, "CREATE", null, Map.of(U, "true"), 1, "bob", List.of("wdrf-admins"), true});
            out.add(new Object[]{path + ": user creates unmarked template", path, "CREATE", null, Map.of("app", "x"), 1, "alice", List.of(), true});
            out.add(new Object[]{path + ": HPA scales a marked one", path, "UPDATE", Map.of(U, "true"), Map.of(U, "true"), 5, "system:serviceaccount:kube-system:horizontal-pod-autoscaler", List.of(), true});
            out.add(new Object[]{path + ": user adds marker on update", path, "UPDATE", Map.of("app", "x"), Map.of("app", "x", A, "true"), 1, "alice", List.of(), false});
            out.add(new Object[]{path + ": user edits other labels of a marked template", path, "UPDATE", Map.of(U, "true"), Map.of(U, "true", "v", "2"), 1, "alice", List.of(), false});
            out.add(new Object[]{path + ": user removes the marker", path, "UPDATE", Map.of(U, "true"), Map.of(), 1, "alice", List.of(), true});
        }
        // the controller stamping pods out of a checked template is trusted; a user creating such a pod is not
        out.add(new Object[]{"replicaset-controller creates a marked pod", "none", "CREATE", null, Map.of(U, "true"), 1, "system:serviceaccount:kube-system:replicaset-controller", List.of(), true});
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templateScenarios")
    void markersInPodTemplatesNeedAnAdmin(String name, String path, String op, Map<String, String> oldLabels,
                                          Map<String, String> labels, int replicas, String user, List<String> groups,
                                          boolean allowed) throws Exception {
        Map<String, Object> spec = policySpec(Path.of("kubernetes/validating-admission-policy.yaml"));
        Map<String, Object> object = path.equals("none") ? object(labels, null) : withTemplate(path, labels, replicas);
        Map<String, Object> old = oldLabels == null ? null : withTemplate(path, oldLabels, 1);
        org.assertj.core.api.Assertions.assertThat(verdict(spec, name, op, object, old, user, groups)).as(name)
                .isEqualTo(allowed);
    }

    @SuppressWarnings("unchecked")
    private static boolean verdict(Map<String, Object> spec, String name, String op, Map<String, Object> object,
                                   Map<String, Object> oldObject, String user, List<String> groups) throws Exception {
        Map<String, Object> userInfo = new HashMap<>();
        userInfo.put("username", user);
        if (groups != null) {
            userInfo.put("groups", groups);
        }
        Map<String, Object> in = new HashMap<>();
        in.put("object", object);
        in.put("oldObject", oldObject == null ? NullValue.NULL_VALUE : oldObject);
        in.put("request", Map.of("operation", op, "userInfo", userInfo));
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
        System.out.printf("%-60s allowed=%-5s changed=%s %s audit=%s%n", name, allowed,
                variables.get("changedMarkers"), message, audits);
        return allowed;
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
