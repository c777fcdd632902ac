package io.wdrf.api;

import java.util.Locale;

/**
 * Where cluster capacity comes from ({@code capacity-source}).
 *
 * <p>Promises: {@link #parse(String)} accepts exactly the configuration spellings ({@code nodes}, {@code quota},
 * {@code auto}) and {@link #configName()} returns them.
 */
public enum CapacitySource {
    /** Allocatable of ready, schedulable nodes. */
    NODES,
    /** Nominal quotas of all ClusterQueues. */
    QUOTA,
    /** Nodes where they carry a resource, else quota (autoscaled pools have no nodes for pending types). */
    AUTO;

    /** The configuration spelling. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws SettingException naming {@code capacitySource} when the text is not one of nodes, quota, auto */
    public static CapacitySource parse(String text) {
        for (CapacitySource s : values()) {
            if (s.configName().equals(text)) {
                return s;
            }
        }
        throw new SettingException("capacitySource", "'" + text + "' is not one of nodes, quota, auto");
    }
}
