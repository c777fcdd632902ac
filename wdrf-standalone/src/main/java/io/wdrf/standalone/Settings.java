package io.wdrf.standalone;

import io.wdrf.api.PolicyConfig;
import io.wdrf.engine.ReconcilerSettings;
import io.wdrf.hami.HamiConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every validated setting of the controller, built from the merged configuration by {@link ConfigLoader}.
 *
 * @param backend     fabric8, official or memory
 * @param policy      policy name
 * @param pluginPath  directory of plugin jars, or null
 * @param logLevel    normalised logback level name
 * @param policyConfig settings shared by the policies
 * @param reconciler  loop and write settings
 * @param qps         write rate
 * @param burst       write burst
 * @param kube        API server connection
 * @param leader      leader election
 * @param http        metrics/probe server
 * @param hami        HAMi accounting settings, or null when disabled
 * @param notes       start-up notes to log at INFO (e.g. resource weights folded into the HAMi fraction resource)
 */
record Settings(String backend, String policy, Path pluginPath, String logLevel, PolicyConfig policyConfig,
                ReconcilerSettings reconciler, double qps, int burst, Kube kube, Leader leader, Http http,
                HamiConfig hami, List<String> notes) {

    /** Connection to the Kubernetes API server. */
    record Kube(Path kubeconfig, URI masterUrl, String kueueApiVersion, List<String> namespaces) {
    }

    /** Lease-based leader election. */
    record Leader(boolean enabled, String leaseName, String leaseNamespace, Duration leaseDuration,
                  Duration renewDeadline, Duration retryPeriod, String identity) {
    }

    /** The metrics and probe server. */
    record Http(String bind, int port) {
    }
}
