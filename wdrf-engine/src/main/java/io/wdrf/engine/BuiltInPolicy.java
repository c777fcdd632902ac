package io.wdrf.engine;

import io.wdrf.api.PriorityPolicy;

/**
 * A policy of this package: it decides exactly once for every pending workload of the context, with the context's
 * own {@link io.wdrf.api.WorkloadId} instances, so the engine need not check its plan against the pending set
 * (a plugin's plan is checked).
 */
interface BuiltInPolicy extends PriorityPolicy {
}
