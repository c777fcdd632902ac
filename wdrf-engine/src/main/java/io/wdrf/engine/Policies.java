package io.wdrf.engine;

import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.PriorityPolicyProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Creates priority policies by name: the built-ins {@code wdrf}, {@code drf}, {@code fifo}, {@code multifactor},
 * and any {@link PriorityPolicyProvider} found by {@link ServiceLoader} on the given class loader. Built-in names
 * cannot be shadowed by plugins.
 */
public final class Policies {

    /** Names of the built-in policies. */
    public static final List<String> BUILT_IN = List.of("wdrf", "drf", "fifo", "multifactor");

    private Policies() {
    }

    /**
     * The policy called {@code name}.
     *
     * @throws IllegalArgumentException when no built-in or plugin has that name (the message lists the known names)
     */
    public static PriorityPolicy create(String name, PolicyConfig config, ClassLoader loader) {
        switch (name) {
            case "wdrf":
                return new WdrfPolicy("wdrf", config, true, true);
            case "drf":
                return new WdrfPolicy("drf", config, false, false);
            case "fifo":
                return new FifoPolicy(config);
            case "multifactor":
                return new MultifactorPolicy(config);
            default:
                break;
        }
        List<PriorityPolicyProvider> matches = new ArrayList<>();
        TreeSet<String> known = new TreeSet<>(BUILT_IN);
        for (PriorityPolicyProvider p : ServiceLoader.load(PriorityPolicyProvider.class, loader)) {
            known.add(p.name());
            if (p.name().equals(name)) {
                matches.add(p);
            }
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("policy: no policy named '" + name + "'; known: " + known);
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("policy: " + matches.size() + " plugins are named '" + name + "'");
        }
        return matches.get(0).create(config);
    }

    /** As {@link #create(String, PolicyConfig, ClassLoader)} with this class's class loader. */
    public static PriorityPolicy create(String name, PolicyConfig config) {
        return create(name, config, Policies.class.getClassLoader());
    }
}
