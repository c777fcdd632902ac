package io.wdrf.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ConfigMap's application.conf is valid HOCON with every documented key and sane defaults. */
class HoconConfigTest {

    static final List<String> REQUIRED_PATHS = List.of(
            "backend", "policy", "loop-interval", "debounce", "dry-run", "tenant-key", "capacity-source",
            "aging.coefficient", "aging.max-time",
            "priority-weights.urgent", "priority-weights.approved", "priority-weights.normal",
            "resource-weights", "tenant-weights", "class-namespaces", "priority-class-mapping",
            "preemption",
            "write.target", "write.qps", "write.burst", "write.max-per-cycle", "write.record-explanation", "write.events",
            "kube.kubeconfig", "kube.kueue-api-version",
            "leader-election.enabled", "leader-election.lease-name", "leader-election.lease-namespace",
            "leader-election.lease-duration", "leader-election.renew-deadline", "leader-election.retry-period",
            "http.bind", "http.port",
            "hami.enabled", "hami.vendor");

    /** Parses the ConfigMap's HOCON strictly (no includes, no unresolved substitutions). */
    static Config parse() {
        Config c = ConfigFactory.parseString(DeployFiles.applicationConf(),
                ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        return c.resolve(ConfigResolveOptions.noSystem());
    }

    @Test
    void everyDocumentedKeyIsPresent() {
        Config root = parse();
        assertThat(root.root().keySet()).containsExactly("wdrf");
        Config wdrf = root.getConfig("wdrf");
        for (String p : REQUIRED_PATHS) {
            assertThat(wdrf.hasPathOrNull(p)).as("wdrf.%s", p).isTrue();
        }
        // and, textually, in the order-independent sense the operators will grep for
        String text = DeployFiles.applicationConf();
        for (String p : REQUIRED_PATHS) {
            String leaf = p.substring(p.lastIndexOf('.') + 1);
            assertThat(text).contains(leaf);
        }
    }

    @Test
    void noUnknownTopLevelKeys() {
        Set<String> known = Set.of("backend", "policy", "loop-interval", "debounce", "dry-run", "tenant-key",
                "capacity-source", "aging", "priority-weights", "resource-weights", "tenant-weights", "class-namespaces",
                "priority-class-mapping", "preemption", "write", "kube", "leader-election", "http", "hami");
        assertThat(parse().getConfig("wdrf").root().keySet()).isSubsetOf(known);
    }

    @Test
    void valuesAreTheDocumentedDefaultsAndWellTyped() {
        Config w = parse().getConfig("wdrf");
        assertThat(w.getString("backend")).isIn("fabric8", "official", "memory");
        assertThat(w.getString("policy")).isNotBlank();
        assertThat(w.getDuration("loop-interval")).isEqualTo(Duration.ofSeconds(30));
        assertThat(w.getDuration("debounce")).isEqualTo(Duration.ofSeconds(2));
        assertThat(w.getBoolean("dry-run")).isFalse();
        assertThat(w.getString("tenant-key")).matches("namespace|localQueue|clusterQueue|label:.+");
        assertThat(w.getString("capacity-source")).isIn("auto", "nodes", "quota");
        assertThat(w.getDouble("aging.coefficient")).isEqualTo(1.0);
        assertThat(w.getDuration("aging.max-time")).isEqualTo(Duration.ofHours(24));
        assertThat(w.getInt("priority-weights.urgent")).isEqualTo(1000);
        assertThat(w.getInt("priority-weights.approved")).isEqualTo(100);
        assertThat(w.getInt("priority-weights.normal")).isEqualTo(1);
        for (String obj : List.of("resource-weights", "tenant-weights", "class-namespaces", "priority-class-mapping")) {
            assertThat(w.getValue(obj).valueType()).as(obj).isEqualTo(ConfigValueType.OBJECT);
        }
        assertThat(w.getString("preemption")).isIn("guard", "allow");
        assertThat(w.getString("write.target")).isIn("spec-priority", "priority-boost");
        assertThat(w.getDouble("write.qps")).isEqualTo(20.0);
        assertThat(w.getInt("write.burst")).isEqualTo(40);
        assertThat(w.getInt("write.max-per-cycle")).isEqualTo(1000);
        assertThat(w.getBoolean("write.record-explanation")).isTrue();
        assertThat(w.getBoolean("write.events")).isTrue();
        assertThat(w.getString("kube.kubeconfig")).isEmpty();
        assertThat(w.getString("kube.kueue-api-version")).isIn("auto", "v1beta1", "v1beta2");
        assertThat(w.getBoolean("leader-election.enabled")).isTrue();
        assertThat(w.getString("leader-election.lease-name")).isEqualTo("wdrf-controller");
        assertThat(w.getString("leader-election.lease-namespace")).isEqualTo("wdrf-system");
        assertThat(w.getDuration("leader-election.lease-duration")).isEqualTo(Duration.ofSeconds(15));
        assertThat(w.getDuration("leader-election.renew-deadline")).isEqualTo(Duration.ofSeconds(10));
        assertThat(w.getDuration("leader-election.retry-period")).isEqualTo(Duration.ofSeconds(2));
        assertThat(w.getString("http.bind")).isEqualTo("0.0.0.0");
        assertThat(w.getInt("http.port")).isEqualTo(8080);
        assertThat(w.getBoolean("hami.enabled")).isTrue();
        assertThat(w.getString("hami.vendor")).isEqualTo("nvidia");
    }

    @Test
    void invariantsBetweenSettingsHold() {
        Config w = parse().getConfig("wdrf");
        assertThat(w.getInt("write.burst")).isGreaterThanOrEqualTo((int) Math.ceil(w.getDouble("write.qps")));
        assertThat(w.getInt("priority-weights.urgent")).isGreaterThan(w.getInt("priority-weights.approved"));
        assertThat(w.getInt("priority-weights.approved")).isGreaterThan(w.getInt("priority-weights.normal"));
        // client-go/fabric8 rule: retry-period < renew-deadline < lease-duration
        assertThat(w.getDuration("leader-election.retry-period"))
                .isLessThan(w.getDuration("leader-election.renew-deadline"));
        assertThat(w.getDuration("leader-election.renew-deadline"))
                .isLessThan(w.getDuration("leader-election.lease-duration"));
        assertThat(w.getDuration("debounce")).isLessThan(w.getDuration("loop-interval"));
        // the lease lives where the Role grants access
        assertThat(w.getString("leader-election.lease-namespace"))
                .isEqualTo(Yaml2.str(DeployFiles.doc("kubernetes/role.yaml", "Role").body(), "metadata.namespace"));
    }
}
