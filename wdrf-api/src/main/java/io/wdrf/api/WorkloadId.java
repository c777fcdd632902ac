package io.wdrf.api;

import java.util.Objects;

/**
 * Identity of a Kueue Workload: its namespace and name.
 *
 * <p>Promises: both parts are non-empty; ordering is namespace then name, lexicographic, so sorting by id is
 * deterministic; {@link #toString()} is {@code namespace/name}, the form {@link #parse(String)} reads back.
 */
public record WorkloadId(String namespace, String name) implements Comparable<WorkloadId> {

    public WorkloadId {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (namespace.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("workload id needs a namespace and a name, got '" + namespace + "/" + name + "'");
        }
    }

    /**
     * Parses {@code namespace/name}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static WorkloadId parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("'" + text + "' is not of the form namespace/name");
        }
        return new WorkloadId(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public int compareTo(WorkloadId o) {
        if (this == o) {
            return 0;
        }
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }

    /**
     * Mixes the two parts with a large odd multiplier: the record's default ({@code 31·h(namespace) + h(name)}) makes
     * ids such as {@code team-5/job-130} and {@code team-6/job-1} collide by the thousand in a hash table.
     */
    @Override
    public int hashCode() {
        return namespace.hashCode() * 0x9E3779B1 + name.hashCode();
    }

    /**
     * Equal namespace and name, as the record's own equality, written out: the record's default goes through a method
     * handle per call, and ids are compared in every hash lookup of every cycle. The same object first (a new version
     * of a workload keeps its id object), then the name, which tells two ids apart more often than the namespace.
     */
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof WorkloadId other && name.equals(other.name)
                && namespace.equals(other.namespace));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
