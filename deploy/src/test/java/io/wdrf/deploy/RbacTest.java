package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.wdrf.deploy.DeployFiles.Doc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Least privilege: the ClusterRole grants exactly the permissions WDRF needs; the Role only touches its Lease. */
class RbacTest {

    /** group/resource/verb triples the ClusterRole must grant - and nothing else ("" = core group). */
    static final Set<String> CLUSTER_PERMISSIONS = triples(
            "kueue.x-k8s.io", List.of("workloads", "localqueues", "clusterqueues", "resourceflavors"),
            List.of("get", "list", "watch"),
            "kueue.x-k8s.io", List.of("workloads"), List.of("patch"),
            "", List.of("nodes", "pods", "namespaces"), List.of("get", "list", "watch"),
            "", List.of("events"), List.of("create"),
            "events.k8s.io", List.of("events"), List.of("create"));

    static final Set<String> LEASE_VERBS_ALLOWED = Set.of("get", "create", "update", "patch");
    static final Set<String> LEASE_VERBS_REQUIRED = Set.of("get", "create", "update");

    @Test
    void clusterRoleGrantsExactlyTheNeededPermissions() {
        Doc role = DeployFiles.doc("kubernetes/clusterrole.yaml", "ClusterRole");
        List<Map<String, Object>> rules = Yaml2.maps(role.body(), "rules");
        assertThat(violations(rules, CLUSTER_PERMISSIONS)).isEmpty();
        assertThat(expand(rules)).isEqualTo(CLUSTER_PERMISSIONS);
        assertThat(role.body()).doesNotContainKey("aggregationRule");
    }

    @Test
    void violationCheckerRejectsWildcardsExtraVerbsResourcesAndGroups() {
        List<Map<String, Object>> bad = List.of(
                Map.of("apiGroups", List.of("kueue.x-k8s.io"), "resources", List.of("workloads"), "verbs", List.of("*")),
                Map.of("apiGroups", List.of(""), "resources", List.of("secrets"), "verbs", List.of("get")),
                Map.of("apiGroups", List.of("kueue.x-k8s.io"), "resources", List.of("workloads"), "verbs", List.of("delete")),
                Map.of("apiGroups", List.of("apps"), "resources", List.of("deployments"), "verbs", List.of("get")),
                Map.of("nonResourceURLs", List.of("/metrics"), "verbs", List.of("get")),
                Map.of("apiGroups", List.of("kueue.x-k8s.io"), "resources", List.of("workloads/status"), "verbs", List.of("patch")));
        List<String> v = violations(bad, CLUSTER_PERMISSIONS);
        assertThat(v).anyMatch(s -> s.contains("wildcard"));
        assertThat(v).anyMatch(s -> s.contains("/secrets/get"));
        assertThat(v).anyMatch(s -> s.contains("kueue.x-k8s.io/workloads/delete"));
        assertThat(v).anyMatch(s -> s.contains("apps/deployments/get"));
        assertThat(v).anyMatch(s -> s.contains("nonResourceURLs"));
        assertThat(v).anyMatch(s -> s.contains("workloads/status/patch"));
        // the good rules produce no violation
        Doc role = DeployFiles.doc("kubernetes/clusterrole.yaml", "ClusterRole");
        assertThat(violations(Yaml2.maps(role.body(), "rules"), CLUSTER_PERMISSIONS)).isEmpty();
    }

    @Test
    void roleOnlyTouchesTheLeaderElectionLease() {
        Config wdrf = HoconConfigTest.parse().getConfig("wdrf.leader-election");
        Doc role = DeployFiles.doc("kubernetes/role.yaml", "Role");
        assertThat(Yaml2.str(role.body(), "metadata.namespace")).isEqualTo(wdrf.getString("lease-namespace"));
        Set<String> verbs = new TreeSet<>();
        for (Map<String, Object> rule : Yaml2.maps(role.body(), "rules")) {
            assertThat(Yaml2.strings(rule, "apiGroups")).containsExactly("coordination.k8s.io");
            assertThat(Yaml2.strings(rule, "resources")).containsExactly("leases");
            List<String> ruleVerbs = Yaml2.strings(rule, "verbs");
            assertThat(ruleVerbs).isSubsetOf(LEASE_VERBS_ALLOWED);
            verbs.addAll(ruleVerbs);
            List<String> names = Yaml2.optStrings(rule, "resourceNames");
            if (!ruleVerbs.equals(List.of("create"))) {
                // everything except create is pinned to the one lease
                assertThat(names).as("resourceNames of %s", ruleVerbs).containsExactly(wdrf.getString("lease-name"));
            }
            assertThat(rule).doesNotContainKey("nonResourceURLs");
        }
        assertThat(verbs).containsAll(LEASE_VERBS_REQUIRED);
    }

    @Test
    void bindingsBindTheDeploymentServiceAccountToTheRoles() {
        Doc deployment = DeployFiles.doc("kubernetes/deployment.yaml", "Deployment");
        String sa = Yaml2.str(deployment.body(), "spec.template.spec.serviceAccountName");
        String ns = Yaml2.str(deployment.body(), "metadata.namespace");
        Doc account = DeployFiles.doc("kubernetes/serviceaccount.yaml", "ServiceAccount");
        assertThat(account.name()).isEqualTo(sa);
        assertThat(Yaml2.str(account.body(), "metadata.namespace")).isEqualTo(ns);

        Doc crb = DeployFiles.doc("kubernetes/clusterrolebinding.yaml", "ClusterRoleBinding");
        assertThat(Yaml2.str(crb.body(), "roleRef.kind")).isEqualTo("ClusterRole");
        assertThat(Yaml2.str(crb.body(), "roleRef.apiGroup")).isEqualTo("rbac.authorization.k8s.io");
        assertThat(Yaml2.str(crb.body(), "roleRef.name"))
                .isEqualTo(DeployFiles.doc("kubernetes/clusterrole.yaml", "ClusterRole").name());
        assertThat(Yaml2.maps(crb.body(), "subjects"))
                .containsExactly(Map.of("kind", "ServiceAccount", "name", sa, "namespace", ns));

        Doc rb = DeployFiles.doc("kubernetes/rolebinding.yaml", "RoleBinding");
        Doc role = DeployFiles.doc("kubernetes/role.yaml", "Role");
        assertThat(Yaml2.str(rb.body(), "metadata.namespace")).isEqualTo(Yaml2.str(role.body(), "metadata.namespace"));
        assertThat(Yaml2.str(rb.body(), "roleRef.kind")).isEqualTo("Role");
        assertThat(Yaml2.str(rb.body(), "roleRef.name")).isEqualTo(role.name());
        assertThat(Yaml2.maps(rb.body(), "subjects"))
                .containsExactly(Map.of("kind", "ServiceAccount", "name", sa, "namespace", ns));
    }

    /** Expands RBAC rules to "group/resource/verb" triples. */
    static Set<String> expand(List<Map<String, Object>> rules) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> rule : rules) {
            for (String g : Yaml2.optStrings(rule, "apiGroups")) {
                for (String r : Yaml2.optStrings(rule, "resources")) {
                    for (String v : Yaml2.optStrings(rule, "verbs")) {
                        out.add(g + "/" + r + "/" + v);
                    }
                }
            }
        }
        return out;
    }

    /** Everything in the rules that is not in the allowed set, plus wildcards and non-resource URLs. */
    static List<String> violations(List<Map<String, Object>> rules, Set<String> allowed) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> rule : rules) {
            for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames")) {
                if (Yaml2.optStrings(rule, field).stream().anyMatch(s -> s.contains("*"))) {
                    out.add("wildcard in " + field + ": " + rule);
                }
            }
            if (rule.containsKey("nonResourceURLs")) {
                out.add("nonResourceURLs are not allowed: " + rule);
            }
        }
        Set<String> extra = new HashSet<>(expand(rules));
        extra.removeAll(allowed);
        new TreeSet<>(extra).forEach(t -> out.add("not allowed: " + t));
        return out;
    }

    private static Set<String> triples(Object... spec) {
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < spec.length; i += 3) {
            String group = (String) spec[i];
            @SuppressWarnings("unchecked") List<String> resources = (List<String>) spec[i + 1];
            @SuppressWarnings("unchecked") List<String> verbs = (List<String>) spec[i + 2];
            for (String r : resources) {
                for (String v : verbs) {
                    out.add(group + "/" + r + "/" + v);
                }
            }
        }
        return out;
    }
}
