package io.wdrf.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The chart {@code deploy/helm/wdrf}, linted and rendered in-process by helm-java (Helm's Go code through JNA, no
 * helm binary, no cluster), and the normal form both the chart's and the kustomize objects are compared in.
 */
final class HelmChart {

    /** Labels and annotations only Helm adds; everything else must be equal. */
    static final Set<String> HELM_ONLY_KEYS = Set.of("app.kubernetes.io/instance", "app.kubernetes.io/version",
            "app.kubernetes.io/managed-by", "helm.sh/chart", "checksum/config");

    private static volatile String unavailable;

    private HelmChart() {
    }

    static Path dir() {
        return DeployFiles.root().resolve("helm").resolve("wdrf");
    }

    /** Skips the calling test (with the reason) when helm-java has no native library for this platform. */
    static void assumeAvailable() {
        if (unavailable == null) {
            try {
                Helm.version().call();
                unavailable = "";
            } catch (LinkageError | RuntimeException e) {
                unavailable = "helm-java has no working native Helm library for " + System.getProperty("os.name")
                        + "/" + System.getProperty("os.arch") + " (" + e + "): chart tests skipped";
            }
        }
        Assumptions.assumeTrue(unavailable.isEmpty(), unavailable);
    }

    static Helm helm() {
        assumeAvailable();
        return new Helm(dir());
    }

    /** {@code helm template <release> deploy/helm/wdrf -n <namespace> -f <values>}, parsed into documents. */
    static List<Map<String, Object>> render(String release, String namespace, String valuesYaml) {
        TemplateCommand cmd = helm().template().withName(release).withNamespace(namespace);
        if (valuesYaml != null) {
            try {
                Path f = Files.createTempFile("wdrf-values", ".yaml");
                f.toFile().deleteOnExit();
                Files.writeString(f, valuesYaml);
                cmd = cmd.withValuesFile(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parse(cmd.call());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String manifests) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : DeployFiles.strictYaml().loadAll(manifests)) {
            if (o != null) {
                out.add((Map<String, Object>) o);
            }
        }
        return out;
    }

    static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        List<Map<String, Object>> found = docs.stream().filter(d -> kind.equals(d.get("kind")))
                .filter(d -> name.equals(Yaml2.optStr(d, "metadata.name").orElse(null))).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " " + name + " in the rendered chart, found "
                    + found.size());
        }
        return found.get(0);
    }

    /**
     * Normal form for comparison: Helm-only labels/annotations dropped at any depth (also from selectors), empty
     * maps that only held them dropped, numbers as BigDecimal, the ConfigMap's HOCON replaced by its parsed tree.
     */
    static Object normal(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (HELM_ONLY_KEYS.contains(k)) {
                    continue;
                }
                Object v = e.getValue();
                if (k.equals("application.conf") && v instanceof String s) {
                    v = hocon(s).root().unwrapped();
                }
                Object n = normal(v);
                if (n instanceof Map<?, ?> nm && nm.isEmpty() && (k.equals("annotations") || k.equals("labels"))) {
                    continue;
                }
                out.put(k, n);
            }
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) {
                out.add(normal(x));
            }
            return out;
        }
        if (o instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        return o;
    }

    static Config hocon(String text) {
        return ConfigFactory.parseString(text,
                        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false))
                .resolve(ConfigResolveOptions.noSystem());
    }

    /** The first path where two normal forms differ ("" when equal), for readable failures. */
    static String firstDifference(Object a, Object b, String path) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            Set<Object> keys = new java.util.TreeSet<>(java.util.Comparator.comparing(String::valueOf));
            keys.addAll(ma.keySet());
            keys.addAll(mb.keySet());
            for (Object k : keys) {
                String d = firstDifference(ma.get(k), mb.get(k), path + "." + k);
                if (!d.isEmpty()) {
                    return d;
                }
            }
            return "";
        }
        if (a instanceof List<?> la && b instanceof List<?> lb && la.size() == lb.size()) {
            for (int i = 0; i < la.size(); i++) {
                String d = firstDifference(la.get(i), lb.get(i), path + "[" + i + "]");
                if (!d.isEmpty()) {
                    return d;
                }
            }
            return "";
        }
        return java.util.Objects.equals(a, b) ? "" : path + ": " + a + " vs " + b;
    }

    /** kind/name -> object, in document order. */
    static Map<String, Map<String, Object>> byKindAndName(List<Map<String, Object>> docs) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> d : docs) {
            String key = d.get("kind") + "/" + Yaml2.optStr(d, "metadata.name").orElse("?");
            if (out.put(key, d) != null) {
                throw new AssertionError("duplicate object " + key);
            }
        }
        return out;
    }
}
