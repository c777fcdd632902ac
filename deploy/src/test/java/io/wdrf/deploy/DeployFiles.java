package io.wdrf.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Locates and parses the deployment artefacts under {@code deploy/}. Maven runs the tests with the module
 * directory as working directory (and sets {@code basedir}); running from the repository root also works.
 */
final class DeployFiles {

    /** One YAML document of a (possibly multi-document) file. */
    record Doc(Path file, int index, Map<String, Object> body) {
        String kind() {
            return Yaml2.str(body, "kind");
        }

        String name() {
            return Yaml2.optStr(body, "metadata.name").orElse(null);
        }

        String where() {
            return root().relativize(file) + "#" + index + " (" + kind() + " " + name() + ")";
        }
    }

    private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private DeployFiles() {
    }

    /** The {@code deploy/} directory. */
    static Path root() {
        String basedir = System.getProperty("basedir");
        Path start = basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
        if (Files.isDirectory(start.resolve("kubernetes"))) {
            return start;
        }
        if (Files.isDirectory(start.resolve("deploy").resolve("kubernetes"))) {
            return start.resolve("deploy");
        }
        throw new IllegalStateException("cannot find the deploy directory from " + start);
    }

    static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing file deploy/" + relative);
        }
        return p;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All deployment files: everything under deploy/ except this module's build (src/, pom.xml), the Helm chart, target/ and dot-files. */
    static List<Path> artefacts() {
        Path root = root();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        Path rel = root.relativize(p);
                        String first = rel.getName(0).toString();
                        for (Path part : rel) {
                            if (part.toString().equals("target") || part.toString().startsWith(".")) {
                                return false; // build output (also of deploy/tools/*) and hidden files
                            }
                        }
                        // helm/: Go templates, not plain YAML; validated by HelmChartTest (lint, render, equality)
                        return !first.equals("src") && !first.equals("helm") && !rel.toString().equals("pom.xml");
                    })
                    .sorted(Comparator.comparing(Path::toString))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> artefacts(String extension) {
        return artefacts().stream().filter(p -> p.getFileName().toString().endsWith(extension))
                .collect(Collectors.toList());
    }

    static List<Path> yamlFiles() {
        return artefacts().stream()
                .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                .collect(Collectors.toList());
    }

    /** Strict YAML loader: safe constructor, duplicate keys rejected. */
    static Yaml strictYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    /** Parses every document of a YAML file; each must be a mapping. */
    @SuppressWarnings("unchecked")
    static List<Doc> docs(Path file) {
        List<Doc> out = new ArrayList<>();
        int i = 0;
        for (Object o : strictYaml().loadAll(read(file))) {
            if (!(o instanceof Map)) {
                throw new AssertionError(root().relativize(file) + " document " + i + " is not a mapping: " + o);
            }
            out.add(new Doc(file, i, (Map<String, Object>) o));
            i++;
        }
        return out;
    }

    static List<Doc> allDocs() {
        List<Doc> out = new ArrayList<>();
        for (Path p : yamlFiles()) {
            out.addAll(docs(p));
        }
        return out;
    }

    /** The one document of the given kind and name in the given file. */
    static Doc doc(String relative, String kind, String name) {
        List<Doc> found = docs(path(relative)).stream()
                .filter(d -> kind.equals(d.body().get("kind")))
                .filter(d -> name == null || name.equals(d.name()))
                .collect(Collectors.toList());
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + kind + " " + name + " in " + relative + ", found "
                    + found.size());
        }
        return found.get(0);
    }

    static Doc doc(String relative, String kind) {
        return doc(relative, kind, null);
    }

    static JsonNode json(Path p) {
        try {
            return STRICT_JSON.readTree(read(p));
        } catch (IOException e) {
            throw new AssertionError(root().relativize(p) + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode jsonArray(String text) {
        try {
            return STRICT_JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not valid JSON: " + text + ": " + e.getMessage(), e);
        }
    }

    /** The HOCON text of the controller's ConfigMap. */
    static String applicationConf() {
        Doc cm = doc("kubernetes/configmap.yaml", "ConfigMap");
        return Yaml2.str(cm.body(), "data.application\\.conf");
    }

    static Optional<Doc> find(List<Doc> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.body().get("kind"))).findFirst();
    }
}
