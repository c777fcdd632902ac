package io.wdrf.api;

import java.util.Objects;

/**
 * What makes a tenant ({@code tenant-key}): the namespace, the LocalQueue, the ClusterQueue, or a label's value.
 *
 * <p>Promises: {@link #parse(String)} accepts exactly the configuration spellings ({@code namespace},
 * {@code localQueue}, {@code clusterQueue}, {@code label:<key>} with a non-empty key) and {@link #configName()}
 * returns them, so {@code parse(k.configName()).equals(k)}.
 */
public sealed interface TenantKey {

    /** The configuration spelling. */
    String configName();

    /** Tenant = namespace (the default). */
    record Namespace() implements TenantKey {
        public String configName() {
            return "namespace";
        }
    }

    /** Tenant = {@code namespace/localQueue}. */
    record LocalQueue() implements TenantKey {
        public String configName() {
            return "localQueue";
        }
    }

    /** Tenant = ClusterQueue. */
    record ClusterQueue() implements TenantKey {
        public String configName() {
            return "clusterQueue";
        }
    }

    /** Tenant = value of label {@code key}. */
    record Label(String key) implements TenantKey {
        public Label {
            Objects.requireNonNull(key, "key");
            if (key.isEmpty()) {
                throw new SettingException("tenantKey", "'label:' needs a label key");
            }
        }

        public String configName() {
            return "label:" + key;
        }
    }

    /** @throws SettingException naming {@code tenantKey} when the text is not a tenant key */
    static TenantKey parse(String text) {
        if (text == null) {
            throw new SettingException("tenantKey", "must be set");
        }
        switch (text) {
            case "namespace":
                return new Namespace();
            case "localQueue":
                return new LocalQueue();
            case "clusterQueue":
                return new ClusterQueue();
            default:
                if (text.startsWith("label:") && text.length() > "label:".length()) {
                    return new Label(text.substring("label:".length()));
                }
                throw new SettingException("tenantKey", "'" + text
                        + "' is not one of namespace, localQueue, clusterQueue, label:<key>");
        }
    }
}
