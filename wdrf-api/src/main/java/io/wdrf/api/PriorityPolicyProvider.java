package io.wdrf.api;

/**
 * {@link java.util.ServiceLoader} entry point for custom policies: list the implementation in
 * {@code META-INF/services/io.wdrf.api.PriorityPolicyProvider} and select it by {@link #name()}.
 *
 * <p>Promises expected from implementations: a public no-argument constructor; a stable, unique name;
 * {@link #create(PolicyConfig)} fails with {@link IllegalArgumentException} naming the bad option.
 */
public interface PriorityPolicyProvider {

    /** The policy name this provider creates. */
    String name();

    /** Creates a policy configured by {@code config} (plugin settings are in {@link PolicyConfig#options()}). */
    PriorityPolicy create(PolicyConfig config);
}
