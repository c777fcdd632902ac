package io.wdrf.onnx;

/**
 * JMX view of a running {@code onnx} policy ({@code io.wdrf:type=OnnxPolicy,model=<sha256 prefix>}): the plugin SPI
 * has no metrics registry, so the fallback counter is published on the platform MBean server, where any JMX exporter
 * can scrape it.
 */
public interface OnnxPolicyMXBean {

    /** SHA-256 of the loaded model. */
    String getModelSha256();

    /** Cycles scored by the model. */
    long getInferences();

    /** Cycles that fell back to {@code wdrf} (load error, NaN/∞ output, timeout, inference error). */
    long getFallbacks();

    /** Why the last fallback happened (empty if never). */
    String getLastFallbackReason();
}
