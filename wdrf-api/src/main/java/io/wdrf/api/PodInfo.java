package io.wdrf.api;

import java.util.Map;
import java.util.Objects;

/**
 * A compact projection of a Pod, kept only for device accounting (HAMi allocation annotations).
 *
 * <p>Promises: maps are unmodifiable and never null; {@code phase} is the raw {@code status.phase} string
 * ({@code Pending}, {@code Running}, {@code Succeeded}, {@code Failed}, {@code Unknown}) or empty;
 * {@code initContainers} is the number of {@code spec.initContainers} (≥ 0), which device-allocation annotations
 * list before the app containers.
 */
public record PodInfo(String namespace, String name, String uid, String nodeName, String phase,
                      Map<String, String> labels, Map<String, String> annotations, int initContainers) {

    /** A pod without init containers. */
    public PodInfo(String namespace, String name, String uid, String nodeName, String phase,
                   Map<String, String> labels, Map<String, String> annotations) {
        this(namespace, name, uid, nodeName, phase, labels, annotations, 0);
    }

    public PodInfo {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        nodeName = nodeName == null ? "" : nodeName;
        phase = phase == null ? "" : phase;
        labels = Records.sortedCopy(labels);
        annotations = Records.sortedCopy(annotations);
        if (initContainers < 0) {
            throw new IllegalArgumentException("pod " + namespace + "/" + name + " has negative initContainers " + initContainers);
        }
    }

    /** True for Succeeded or Failed pods, which hold no devices. */
    public boolean terminated() {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
