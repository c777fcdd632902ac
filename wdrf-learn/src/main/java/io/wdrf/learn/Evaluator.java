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
        return run(window, options, name, policyOptions, expectedRuntime, Evaluator.class.getClassLoader());
    }

    /** As above, finding plugin policies on {@code loader} (e.g. the jars of a plugin directory). */
    public static Outcome run(Trace window, SimOptions options, String name, Map<String, String> policyOptions,
                              boolean expectedRuntime, ClassLoader loader) {
        Episode e = new Episode(window, options, config -> create(name, config, policyOptions, loader), expectedRuntime);
        return e.runToEnd();
    }

    static io.wdrf.api.PriorityPolicy create(String name, PolicyConfig config, Map<String, String> policyOptions) {
        return create(name, config, policyOptions, Evaluator.class.getClassLoader());
    }

    static io.wdrf.api.PriorityPolicy create(String name, PolicyConfig config, Map<String, String> policyOptions,
                                             ClassLoader loader) {
        PolicyConfig c = policyOptions.isEmpty() ? config : config.toBuilder().options(policyOptions).build();
        return Policies.create(name, c, loader);
    }
}
