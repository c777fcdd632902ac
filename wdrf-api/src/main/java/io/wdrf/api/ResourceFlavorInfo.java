package io.wdrf.api;

import java.util.Map;
import java.util.Objects;

/**
 * A Kueue ResourceFlavor: the node labels that identify its nodes ({@code spec.nodeLabels}).
 *
 * <p>Promises: {@code nodeLabels} is unmodifiable and never null; {@link #matches(Node)} is true when every
 * flavor label is on the node with the same value (an empty label set matches every node).
 */
public record ResourceFlavorInfo(String name, Map<String, String> nodeLabels) {

    public ResourceFlavorInfo {
        Objects.requireNonNull(name, "name");
        nodeLabels = Records.sortedCopy(nodeLabels);
    }

    /** True when the node carries all of this flavor's node labels. */
    public boolean matches(Node node) {
        for (Map.Entry<String, String> e : nodeLabels.entrySet()) {
            if (!e.getValue().equals(node.labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
