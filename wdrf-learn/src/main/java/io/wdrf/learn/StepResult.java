package io.wdrf.learn;

import java.util.Map;

/**
 * What {@link WdrfEnv#step} returns (Gym's {@code obs, reward, done, info}).
 *
 * @param observation the next observation (empty rows when {@code done})
 * @param reward      reward of the step under the environment's {@link Reward} preset
 * @param done        whether the window is over
 * @param info        step details: completed, preempted, pending, running, allocation, deficit, withinShareWait,
 *                    time, and the other preset's reward (sorted keys)
 */
public record StepResult(Observation observation, double reward, boolean done, Map<String, Double> info) {

    public StepResult {
        info = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(info));
    }
}
