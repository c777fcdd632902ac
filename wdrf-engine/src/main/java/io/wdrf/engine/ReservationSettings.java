package io.wdrf.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Starvation reservations (config {@code wdrf.starvation { reserve, timeout, max-gated }}): see the README section
 * "Starvation reservations".
 *
 * @param enabled  hold capacity for a workload that waited past {@code MAX_AGING_TIME} by gating the workloads that
 *                 would take what it lacks ({@code kueue.x-k8s.io/admission-gated-by}, Kueue v0.19+ gate
 *                 {@code AdmissionGatedBy})
 * @param timeout  a reservation is released this long after it started (the workload still waits, unreserved)
 * @param maxGated at most this many workloads gated per reservation (first in queue order)
 */
public record ReservationSettings(boolean enabled, Duration timeout, int maxGated) {

    public ReservationSettings {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("starvation.timeout: " + timeout + " must be positive");
        }
        if (maxGated < 0) {
            throw new IllegalArgumentException("starvation.max-gated: " + maxGated + " must not be negative");
        }
    }

    /** Off. */
    public static ReservationSettings off() {
        return new ReservationSettings(false, Duration.ofHours(24), 100);
    }

    /** On with a 24 h timeout and at most 100 gated workloads per reservation. */
    public static ReservationSettings defaults() {
        return new ReservationSettings(true, Duration.ofHours(24), 100);
    }
}
