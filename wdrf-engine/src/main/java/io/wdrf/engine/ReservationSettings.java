package io.wdrf.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Starvation reservations (config {@code wdrf.starvation { reserve, timeout, max-gated }}): see the README section
 * "Starvation reservations".
 *
 * @param mode     {@link Mode#OFF}, {@link Mode#ON} or {@link Mode#AUTO} (on, and switched off by itself once Kueue is
 *                 seen ignoring the gate)
 * @param timeout  a reservation is released this long after it started (the workload still waits, unreserved)
 * @param maxGated at most this many workloads gated per reservation (first in queue order)
 */
public record ReservationSettings(Mode mode, Duration timeout, int maxGated) {

    /**
     * Whether WDRF holds capacity for a workload that waited past {@code MAX_AGING_TIME} by gating the workloads that
     * would take what it lacks ({@code kueue.x-k8s.io/admission-gated-by}, Kueue's gate {@code AdmissionGatedBy},
     * beta and on by default from v0.19).
     */
    public enum Mode {
        /** Never gate. */
        OFF,
        /** Gate; when Kueue is seen admitting a workload through WDRF's gate, warn and keep gating. */
        ON,
        /**
         * Gate until Kueue is seen admitting workloads through WDRF's gate (an older Kueue, or the feature gate
         * switched off): then remove every gate WDRF set and stop reserving, with a warning and a metric. Kueue
         * exposes neither its version nor its feature gates through the API, so support is detected by observation.
         */
        AUTO;

        /** The config spelling ({@code off}, {@code on}, {@code auto}). */
        public static Mode parse(String s) {
            String v = Objects.requireNonNull(s, "reserve").trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "off" -> OFF;
                case "on" -> ON;
                case "auto" -> AUTO;
                default -> throw new IllegalArgumentException("'" + v + "' is not one of auto, on, off");
            };
        }
    }

    public ReservationSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("starvation.timeout: " + timeout + " must be positive");
        }
        if (maxGated < 0) {
            throw new IllegalArgumentException("starvation.max-gated: " + maxGated + " must not be negative");
        }
    }

    /** {@code enabled} true = {@link Mode#ON}, false = {@link Mode#OFF}. */
    public ReservationSettings(boolean enabled, Duration timeout, int maxGated) {
        this(enabled ? Mode.ON : Mode.OFF, timeout, maxGated);
    }

    /** Whether reservations run at all. */
    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /** Off. */
    public static ReservationSettings off() {
        return new ReservationSettings(Mode.OFF, Duration.ofHours(24), 100);
    }

    /** {@link Mode#AUTO} with a 24 h timeout and at most 100 gated workloads per reservation. */
    public static ReservationSettings defaults() {
        return new ReservationSettings(Mode.AUTO, Duration.ofHours(24), 100);
    }
}
