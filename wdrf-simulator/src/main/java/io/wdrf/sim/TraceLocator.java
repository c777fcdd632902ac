package io.wdrf.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the shared trace folder (never part of the repository): system property {@code wdrf.traces}, else
 * environment variable {@code WDRF_TRACES}, else {@code ../shared/traces} and {@code ../../shared/traces} relative to
 * the working directory (the repository root or a module), else {@code /work/shared/traces}.
 */
public final class TraceLocator {

    /** System property naming the trace folder. */
    public static final String PROPERTY = "wdrf.traces";
    /** Environment variable naming the trace folder. */
    public static final String ENV = "WDRF_TRACES";

    private TraceLocator() {
    }

    /** The first candidate folder that exists. */
    public static Optional<Path> find() {
        List<String> candidates = new ArrayList<>();
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            candidates.add(prop);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        candidates.add("../shared/traces");
        candidates.add("../../shared/traces");
        candidates.add("/work/shared/traces");
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isDirectory(p)) {
                return Optional.of(p.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    /** The Philly job list inside {@code dir}. */
    public static Path philly(Path dir) {
        return dir.resolve("philly-adaptdl").resolve("philly.csv");
    }

    /** The Alibaba default pod list inside {@code dir}. */
    public static Path alibaba(Path dir) {
        return dir.resolve("alibaba-cluster-trace-gpu-v2023").resolve("csv").resolve("openb_pod_list_default.csv");
    }
}
