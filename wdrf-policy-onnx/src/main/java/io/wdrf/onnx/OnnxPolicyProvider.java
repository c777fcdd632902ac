package io.wdrf.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityPolicy;
import io.wdrf.api.PriorityPolicyProvider;
import io.wdrf.engine.Policies;
import io.wdrf.learned.ClassBand;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Registers {@code onnx}. Settings ({@code wdrf.policy-options}): {@code "onnx.model"} = path of {@code model.onnx};
 * its contract {@code model.json} sits next to it (same name, {@code .json}). Start-up refuses (with
 * {@link IllegalArgumentException}) a missing file, a contract that does not parse, an unknown layout or layout
 * version, a SHA-256 that does not match the model, and tensor names or widths the model does not have. A model
 * ONNX Runtime cannot load is not fatal: the policy then runs {@code wdrf} and says so (log, JMX counter,
 * explanations).
 */
public final class OnnxPolicyProvider implements PriorityPolicyProvider {

    /** The option naming the model file. */
    public static final String MODEL = "onnx.model";

    @Override
    public String name() {
        return OnnxPolicy.NAME;
    }

    @Override
    public PriorityPolicy create(PolicyConfig config) {
        String raw = config.options().get(MODEL);
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("policy-options.\"" + MODEL + "\": the path of model.onnx is required");
        }
        Path model = Path.of(raw.trim());
        String file = model.getFileName().toString();
        Path json = model.resolveSibling((file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file) + ".json");
        ModelSpec spec;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
            spec = ModelSpec.read(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("policy-options.\"" + MODEL + "\": cannot read " + e.getMessage(), e);
        }
        String actual = ModelSpec.sha256(bytes);
        if (!actual.equals(spec.sha256())) {
            throw new IllegalArgumentException(json + ": sha256 " + spec.sha256() + " does not match " + model
                    + " (sha256 " + actual + "); refusing a model that is not the one described");
        }
        PriorityPolicy wdrf = Policies.create("wdrf", config);
        OrtEnvironment env = null;
        OrtSession session = null;
        String loadError = null;
        try {
            env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(1);
            session = env.createSession(bytes, o);
        } catch (Exception | LinkageError e) {
            loadError = e.toString();
        }
        if (session != null) {
            check(session, spec, json);
        }
        OnnxPolicy policy = new OnnxPolicy(spec, wdrf, new ClassBand(config), env, session, loadError);
        register(policy);
        return policy;
    }

    private static void check(OrtSession session, ModelSpec spec, Path json) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (!inputs.containsKey(spec.input())) {
                throw new IllegalArgumentException(json + ": input '" + spec.input() + "' is not in the model's inputs "
                        + inputs.keySet());
            }
            if (!session.getOutputNames().contains(spec.output())) {
                throw new IllegalArgumentException(json + ": output '" + spec.output()
                        + "' is not in the model's outputs " + session.getOutputNames());
            }
            if (inputs.get(spec.input()).getInfo() instanceof TensorInfo t) {
                long[] shape = t.getShape();
                long width = shape.length == 0 ? -1 : shape[shape.length - 1];
                if (shape.length != 2 || (width >= 0 && width != spec.inputWidth())) {
                    throw new IllegalArgumentException(json + ": inputWidth " + spec.inputWidth()
                            + " but the model's input '" + spec.input() + "' has shape " + java.util.Arrays.toString(shape)
                            + " (expected [N, " + spec.inputWidth() + "])");
                }
            }
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalArgumentException(json + ": cannot read the model's signature: " + e.getMessage(), e);
        }
    }

    private static void register(OnnxPolicy policy) {
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            var name = new javax.management.ObjectName("io.wdrf:type=OnnxPolicy,model="
                    + policy.getModelSha256().substring(0, 12));
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(policy, name);
        } catch (Exception e) {
            System.getLogger("io.wdrf.onnx").log(System.Logger.Level.WARNING,
                    "onnx policy: cannot register the JMX counters: " + e);
        }
    }
}
