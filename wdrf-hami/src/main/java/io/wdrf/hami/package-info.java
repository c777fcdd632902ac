/**
 * HAMi fractional-GPU accounting for WDRF.
 *
 * <p>Entry points: {@link io.wdrf.hami.HamiDemandModel} (a {@link io.wdrf.api.DemandModel} that replaces a vendor's
 * vGPU slot/memory/core resources by one physical-GPU-fraction resource, default {@code hami.io/gpu}),
 * {@link io.wdrf.hami.HamiConfig} and {@link io.wdrf.hami.HamiVendor} (names and defaults),
 * {@link io.wdrf.hami.HamiAllocations} (booked usage per card and namespace from pod annotations, allocation rate and
 * fragmentation), and the decoders {@link io.wdrf.hami.NodeRegistration} and {@link io.wdrf.hami.DeviceAllocation}.
 */
package io.wdrf.hami;
