package io.wdrf.api;

/**
 * The role of a container in a pod, as Kubernetes computes pod requests.
 *
 * <ul>
 *   <li>{@link #APP}: a regular container; app containers run together, so their requests add up.</li>
 *   <li>{@link #INIT}: a classic init container; init containers run one at a time before the app containers.</li>
 *   <li>{@link #SIDECAR}: an init container with {@code restartPolicy: Always}; it keeps running beside the app
 *       containers and later init containers.</li>
 * </ul>
 */
public enum ContainerKind {
    APP,
    INIT,
    SIDECAR
}
