package io.wdrf.learn;

import io.wdrf.api.PolicyConfig;
import io.wdrf.engine.Policies;
import io.wdrf.sim.SimOptions;
import io.wdrf.sim.Trace;

import java.util.Map;

/** Runs one policy over one window to the end (the same {@link Episode} the environment uses). */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * Replays {@code window} under policy {@code name} (a built-in or a plugin on this class loader) with plugin
     * settings {@code policyOptions}.
     */
    public static Outcome run(Trace window, SimOptions options, String name, Map<String, String> policyOptions,
                              boolean expectedRuntime) {
        Episode e = new Episode(window, options, config -> create(name, config, policyOptions), expectedRuntime);
        return e.runToEnd();
    }

    static io.wdrf.api.PriorityPolicy create(String name, PolicyConfig config, Map<String, String> policyOptions) {
        PolicyConfig c = policyOptions.isEmpty() ? config : config.toBuilder().options(policyOptions).build();
        return Policies.create(name, c, Evaluator.class.getClassLoader());
    }
}
