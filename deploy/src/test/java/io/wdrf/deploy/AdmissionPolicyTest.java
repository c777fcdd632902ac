package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wdrf.deploy.DeployFiles.Doc;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ValidatingAdmissionPolicy guards exactly the three marker keys, on CREATE and UPDATE, compares old and new
 * objects, and has a binding. CEL cannot be evaluated here (no CEL runtime on the classpath), so the expressions
 * are checked structurally: balanced, variables defined before use, the right keys and no others.
 */
class AdmissionPolicyTest {

    static final List<String> MARKERS = List.of(
            "wdrf.x-k8s.io/urgent", "wdrf.x-k8s.io/approved", "wdrf.x-k8s.io/priority-override");
    static final String FILE = "kubernetes/validating-admission-policy.yaml";
    static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    static final Pattern VARIABLE_REF = Pattern.compile("variables\\.([A-Za-z_][A-Za-z0-9_]*)");

    /**
     * Kueue's integrations (the names of its {@code integrations.frameworks} setting and its framework controllers,
     * Kueue v0.15/v0.16) and the group/resource each one reads labels from: plain pods and pod groups are "pod";
     * Deployment, StatefulSet and LeaderWorkerSet are pod-based (their pods carry the template's labels).
     */
    static final Map<String, String> KUEUE_INTEGRATIONS = Map.ofEntries(
            Map.entry("batch/job", "batch/jobs"),
            Map.entry("kubeflow.org/mpijob", "kubeflow.org/mpijobs"),
            Map.entry("kubeflow.org/pytorchjob", "kubeflow.org/pytorchjobs"),
            Map.entry("kubeflow.org/tfjob", "kubeflow.org/tfjobs"),
            Map.entry("kubeflow.org/xgboostjob", "kubeflow.org/xgboostjobs"),
            Map.entry("kubeflow.org/paddlejob", "kubeflow.org/paddlejobs"),
            Map.entry("kubeflow.org/jaxjob", "kubeflow.org/jaxjobs"),
            Map.entry("trainer.kubeflow.org/trainjob", "trainer.kubeflow.org/trainjobs"),
            Map.entry("ray.io/rayjob", "ray.io/rayjobs"),
            Map.entry("ray.io/raycluster", "ray.io/rayclusters"),
            Map.entry("ray.io/rayservice", "ray.io/rayservices"),
            Map.entry("jobset.x-k8s.io/jobset", "jobset.x-k8s.io/jobsets"),
            Map.entry("workload.codeflare.dev/appwrapper", "workload.codeflare.dev/appwrappers"),
            Map.entry("pod", "/pods"),
            Map.entry("deployment", "apps/deployments"),
            Map.entry("statefulset", "apps/statefulsets"),
            Map.entry("leaderworkerset.x-k8s.io/leaderworkerset", "leaderworkerset.x-k8s.io/leaderworkersets"));

    static Map<String, Object> policy() {
        return DeployFiles.doc(FILE, "ValidatingAdmissionPolicy").body();
    }

    static String variable(String name) {
        return Yaml2.maps(policy(), "spec.variables").stream().filter(v -> name.equals(v.get("name")))
                .map(v -> (String) v.get("expression")).findFirst()
                .orElseThrow(() -> new AssertionError("no variable " + name));
    }

    /** The string literals of a CEL list literal such as ['a', 'b']. */
    static List<String> literals(String celList) {
        String t = celList.trim();
        assertThat(t).startsWith("[").endsWith("]");
        List<String> out = new ArrayList<>();
        Matcher m = QUOTED.matcher(t);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void policyAndBindingUseTheGaApiAndReferToEachOther() {
        Doc vap = DeployFiles.doc(FILE, "ValidatingAdmissionPolicy");
        Doc binding = DeployFiles.doc(FILE, "ValidatingAdmissionPolicyBinding");
        assertThat(Yaml2.str(vap.body(), "apiVersion")).isEqualTo("admissionregistration.k8s.io/v1");
        assertThat(Yaml2.str(binding.body(), "apiVersion")).isEqualTo("admissionregistration.k8s.io/v1");
        assertThat(Yaml2.str(binding.body(), "spec.policyName")).isEqualTo(vap.name());
        assertThat(Yaml2.strings(binding.body(), "spec.validationActions")).contains("Deny").doesNotContain("Warn");
        assertThat(Yaml2.str(vap.body(), "spec.failurePolicy")).isEqualTo("Fail");
        // a literal admin list, no parameter object that could go missing
        assertThat(vap.body().toString()).doesNotContain("paramKind");
        assertThat(binding.body().toString()).doesNotContain("paramRef");
    }

    @Test
    void matchesCreateAndUpdateOfEveryKindKueueManages() {
        List<Map<String, Object>> rules = Yaml2.maps(policy(), "spec.matchConstraints.resourceRules");
        Set<String> groupResources = new HashSet<>();
        for (Map<String, Object> r : rules) {
            assertThat(Yaml2.strings(r, "operations")).containsExactlyInAnyOrder("CREATE", "UPDATE");
            for (String res : Yaml2.strings(r, "resources")) {
                assertThat(res).as("no wildcard or subresource").doesNotContain("*").doesNotContain("/");
                for (String g : Yaml2.strings(r, "apiGroups")) {
                    assertThat(g).doesNotContain("*");
                    groupResources.add(g + "/" + res);
                }
            }
        }
        assertThat(groupResources).contains("kueue.x-k8s.io/workloads").containsAll(KUEUE_INTEGRATIONS.values());
        // besides those: Workloads, and the template kinds whose controllers stamp marked pods or Jobs
        assertThat(groupResources).isSubsetOf(java.util.stream.Stream.concat(KUEUE_INTEGRATIONS.values().stream(),
                java.util.stream.Stream.of("kueue.x-k8s.io/workloads", "apps/replicasets", "batch/cronjobs")).toList());
    }

    @Test
    void checksExactlyTheThreeMarkerKeys() {
        assertThat(literals(variable("markerKeys"))).containsExactlyElementsOf(MARKERS);
        // WDRF's own annotation and Kueue's boost must never be guarded: the WDRF service account writes them.
        String all = DeployFiles.read(DeployFiles.path(FILE));
        for (Map<String, Object> v : Yaml2.maps(policy(), "spec.variables")) {
            assertThat((String) v.get("expression")).doesNotContain("explanation").doesNotContain("priority-boost");
        }
        // every wdrf.x-k8s.io key quoted in any CEL expression is one of the markers
        for (String expr : expressions()) {
            Matcher m = QUOTED.matcher(expr);
            while (m.find()) {
                if (m.group(1).startsWith("wdrf.x-k8s.io/")) {
                    assertThat(MARKERS).contains(m.group(1));
                }
            }
        }
        assertThat(all).contains("wdrf.x-k8s.io/explanation"); // mentioned in the comment as deliberately ignored
    }

    @Test
    void markersMatchWhatKueueCopiesToWorkloads() {
        Doc cfg = DeployFiles.doc("kueue/kueue-config-snippet.yaml", "Configuration");
        assertThat(Yaml2.strings(cfg.body(), "integrations.labelKeysToCopy"))
                .containsExactlyInAnyOrderElementsOf(literals(variable("markerKeys")));
    }

    @Test
    void defaultAdminGroupIsWdrfAdmins() {
        assertThat(literals(variable("adminGroups"))).contains("wdrf-admins");
        assertThat(variable("isAdmin")).contains("request.userInfo.groups").contains("variables.adminGroups");
    }

    @Test
    void comparesOldAndNewLabelsAndAnnotations() {
        assertThat(variable("newLabels")).contains("object.metadata.labels").doesNotContain("oldObject");
        assertThat(variable("oldLabels")).contains("oldObject.metadata.labels")
                .contains("request.operation == 'UPDATE'");
        assertThat(variable("newAnnotations")).contains("object.metadata.annotations").doesNotContain("oldObject");
        assertThat(variable("oldAnnotations")).contains("oldObject.metadata.annotations")
                .contains("request.operation == 'UPDATE'");
        String changed = variable("changedMarkers");
        for (String v : List.of("markerKeys", "newLabels", "oldLabels", "newAnnotations", "oldAnnotations")) {
            assertThat(changed).contains("variables." + v);
        }
        List<Map<String, Object>> validations = Yaml2.maps(policy(), "spec.validations");
        assertThat(validations).hasSize(1);
        String rule = (String) validations.get(0).get("expression");
        assertThat(rule).contains("size(variables.changedMarkers) == 0").contains("variables.isAdmin");
        assertThat(validations.get(0)).containsKeys("message", "reason");
    }

    @Test
    void celExpressionsAreBalancedAndUseOnlyEarlierVariables() {
        List<String> defined = new ArrayList<>();
        for (Map<String, Object> v : Yaml2.maps(policy(), "spec.variables")) {
            String expr = (String) v.get("expression");
            assertThat(balanceProblem(expr)).as("variable %s", v.get("name")).isNull();
            Matcher m = VARIABLE_REF.matcher(expr);
            while (m.find()) {
                assertThat(defined).as("variable %s uses %s before its definition", v.get("name"), m.group(1))
                        .contains(m.group(1));
            }
            defined.add((String) v.get("name"));
        }
        for (String expr : expressions()) {
            assertThat(balanceProblem(expr)).as(expr).isNull();
            // `c ? 'x' : null` mixes string and null_type, which the CEL type checker may reject; a policy that does
            // not compile fails every matched request under failurePolicy Fail, so stay with plain strings.
            assertThat(expr).doesNotContainPattern(":\\s*null\\b");
            Matcher m = VARIABLE_REF.matcher(expr);
            while (m.find()) {
                assertThat(defined).contains(m.group(1));
            }
        }
    }

    @Test
    void balanceCheckerFindsErrors() {
        assertThat(balanceProblem("size(a[1]) == 0 || 'x(' in b")).isNull();
        assertThat(balanceProblem("size(a[1) == 0")).isNotNull();
        assertThat(balanceProblem("'unterminated")).isNotNull();
        assertThat(balanceProblem("f(x))")).isNotNull();
    }

    /** All CEL expressions outside spec.variables (validations, messages, audit annotations). */
    static List<String> expressions() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> v : Yaml2.maps(policy(), "spec.validations")) {
            out.add((String) v.get("expression"));
            if (v.get("messageExpression") != null) {
                out.add((String) v.get("messageExpression"));
            }
        }
        if (Yaml2.opt(policy(), "spec.auditAnnotations").isPresent()) {
            for (Map<String, Object> a : Yaml2.maps(policy(), "spec.auditAnnotations")) {
                out.add((String) a.get("valueExpression"));
            }
        }
        return out;
    }

    /** Null when brackets and single/double quotes are balanced, else a description of the first problem. */
    static String balanceProblem(String expr) {
        Deque<Character> stack = new ArrayDeque<>();
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\'':
                case '"':
                    quote = c;
                    break;
                case '(':
                case '[':
                case '{':
                    stack.push(c);
                    break;
                case ')':
                case ']':
                case '}':
                    char open = c == ')' ? '(' : c == ']' ? '[' : '{';
                    if (stack.isEmpty() || stack.pop() != open) {
                        return "unbalanced " + c + " at " + i;
                    }
                    break;
                default:
                    break;
            }
        }
        if (quote != 0) {
            return "unterminated string";
        }
        return stack.isEmpty() ? null : "unclosed " + stack.peek();
    }
}
