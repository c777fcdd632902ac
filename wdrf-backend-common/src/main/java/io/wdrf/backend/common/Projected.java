package io.wdrf.backend.common;

import io.wdrf.api.InvalidObject;

import java.util.Objects;

/**
 * The outcome of projecting one API object: either a record or the reason it could not be used.
 *
 * <p>Promises: exactly one of {@code value} and {@code invalid} is non-null; {@code namespace} is empty for
 * cluster-scoped objects; {@code name} is the object's name (or {@code "<unnamed>"} when it has none).
 *
 * @param <T>       record type
 * @param kind      resource kind
 * @param namespace namespace or empty
 * @param name      object name
 * @param value     the projected record, or null
 * @param invalid   why it could not be projected, or null
 */
public record Projected<T>(ResourceKind kind, String namespace, String name, T value, InvalidObject invalid) {

    public Projected {
        Objects.requireNonNull(kind, "kind");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
        if ((value == null) == (invalid == null)) {
            throw new IllegalArgumentException("exactly one of value and invalid must be set");
        }
    }

    static <T> Projected<T> ok(ResourceKind kind, String namespace, String name, T value) {
        return new Projected<>(kind, namespace, name, Objects.requireNonNull(value, "value"), null);
    }

    static <T> Projected<T> bad(ResourceKind kind, String namespace, String name, String reason) {
        return new Projected<>(kind, namespace, name, null, new InvalidObject(kind.kind(), namespace, name, reason));
    }

    /** True when the object was projected into a record. */
    public boolean isValid() {
        return value != null;
    }

    /** Store key: {@code namespace/name} for namespaced objects, {@code name} otherwise. */
    public String key() {
        return ProjectedStore.key(namespace, name);
    }
}
