package io.wdrf.onnx;

import io.wdrf.learned.Features;
import io.wdrf.learned.Skrueue67;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The {@code model.json} contract next to a {@code model.onnx}.
 *
 * <pre>
 * {
 *   "layout": "pointwise" | "skrueue-67",   feature layout name
 *   "layoutVersion": 1,                      must equal the plugin's version of that layout
 *   "input": "features", "output": "score",  tensor names in the model
 *   "inputWidth": 10,                        pointwise: 10; skrueue-67: 67 (SKRueue) or 79 (with the GPU block)
 *   "mean": [...], "scale": [...],           optional normalisation, x' = (x − mean) · scale, inputWidth entries each
 *   "scoreRange": [lo, hi],                  optional (pointwise): unit = (s − lo)/(hi − lo); default 1/(1 + e^−s)
 *   "timeoutMillis": 200,                    optional, per inference (default 200)
 *   "sha256": "hex"                          SHA-256 of model.onnx
 * }
 * </pre>
 *
 * @param layout        layout name
 * @param layoutVersion layout version
 * @param input         input tensor name
 * @param output        output tensor name
 * @param inputWidth    features per row
 * @param mean          per-feature offsets (zeros by default)
 * @param scale         per-feature factors (ones by default)
 * @param scoreRange    {lo, hi} or null
 * @param timeoutMillis inference timeout
 * @param sha256        lower-case hex digest of the model file
 */
record ModelSpec(String layout, int layoutVersion, String input, String output, int inputWidth, float[] mean,
                 float[] scale, double[] scoreRange, long timeoutMillis, String sha256) {

    static ModelSpec read(Path json) throws IOException {
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(json));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(json + ": not a JSON object");
        }
        String layout = str(m, "layout", json);
        int version = (int) num(m, "layoutVersion", json);
        int width = (int) num(m, "inputWidth", json);
        int expectedVersion;
        if (Features.POINTWISE.equals(layout)) {
            expectedVersion = Features.POINTWISE_VERSION;
            if (width != Features.POINTWISE_WIDTH) {
                throw new IllegalArgumentException(json + ": inputWidth " + width + " but layout pointwise has "
                        + Features.POINTWISE_WIDTH + " columns " + Features.POINTWISE_COLUMNS);
            }
        } else if (Skrueue67.NAME.equals(layout)) {
            expectedVersion = Skrueue67.VERSION;
            if (width != Skrueue67.SKRUEUE_DIMS && width != Skrueue67.WIDTH) {
                throw new IllegalArgumentException(json + ": inputWidth " + width + " but layout skrueue-67 has "
                        + Skrueue67.SKRUEUE_DIMS + " (SKRueue) or " + Skrueue67.WIDTH + " (with GPU) dimensions");
            }
        } else {
            throw new IllegalArgumentException(json + ": layout '" + layout + "' is not one of "
                    + List.of(Features.POINTWISE, Skrueue67.NAME));
        }
        if (version != expectedVersion) {
            throw new IllegalArgumentException(json + ": layoutVersion " + version + " but this plugin computes "
                    + layout + " version " + expectedVersion);
        }
        float[] mean = floats(m, "mean", width, 0f, json);
        float[] scale = floats(m, "scale", width, 1f, json);
        double[] range = null;
        if (m.get("scoreRange") != null) {
            float[] r = floats(m, "scoreRange", 2, 0f, json);
            if (!(r[1] > r[0])) {
                throw new IllegalArgumentException(json + ": scoreRange [" + r[0] + ", " + r[1] + "] must have lo < hi");
            }
            range = new double[]{r[0], r[1]};
        }
        long timeout = m.get("timeoutMillis") == null ? 200 : (long) num(m, "timeoutMillis", json);
        if (timeout < 1 || timeout > 60_000) {
            throw new IllegalArgumentException(json + ": timeoutMillis " + timeout + " must be in [1, 60000]");
        }
        String sha = str(m, "sha256", json).toLowerCase(java.util.Locale.ROOT);
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(json + ": sha256 must be 64 hex digits");
        }
        return new ModelSpec(layout, version, str(m, "input", json), str(m, "output", json), width, mean, scale, range,
                timeout, sha);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String str(Map<?, ?> m, String key, Path where) {
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a non-empty string");
        }
        return s;
    }

    private static double num(Map<?, ?> m, String key, Path where) {
        Object v = m.get(key);
        if (!(v instanceof Double d) || d != Math.rint(d)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a whole number");
        }
        return d;
    }

    private static float[] floats(Map<?, ?> m, String key, int n, float dflt, Path where) {
        Object v = m.get(key);
        float[] out = new float[n];
        if (v == null) {
            java.util.Arrays.fill(out, dflt);
            return out;
        }
        if (!(v instanceof List<?> l) || l.size() != n) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be an array of " + n + " numbers");
        }
        for (int k = 0; k < n; k++) {
            if (!(l.get(k) instanceof Double d) || d.isNaN() || d.isInfinite()) {
                throw new IllegalArgumentException(where + ": \"" + key + "\"[" + k + "] is not a finite number");
            }
            out[k] = d.floatValue();
        }
        return out;
    }
}
