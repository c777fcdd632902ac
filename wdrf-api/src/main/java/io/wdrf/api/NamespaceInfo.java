package io.wdrf.api;

import java.util.Map;
import java.util.Objects;

/**
 * A namespace's labels and annotations (tenant weight override {@code wdrf.x-k8s.io/weight}, class allow-lists).
 *
 * <p>Promises: maps are unmodifiable and never null.
 */
public record NamespaceInfo(String name, Map<String, String> labels, Map<String, String> annotations) {

    /** Namespace annotation that overrides the configured tenant weight (namespace tenants only). */
    public static final String WEIGHT_ANNOTATION = "wdrf.x-k8s.io/weight";

    public NamespaceInfo {
        Objects.requireNonNull(name, "name");
        labels = Records.sortedCopy(labels);
        annotations = Records.sortedCopy(annotations);
    }
}
