package io.wdrf.hami;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The device inventory a HAMi device plugin registers on a node (NVIDIA: annotation
 * {@code hami.io/node-nvidia-register}), decoded from any of its three encodings.
 *
 * <ul>
 *   <li>{@link Encoding#JSON} (HAMi ≥ v2.8): a JSON array of objects with members {@code id, index, count, devmem,
 *       devcore, type, numa, mode, health} (plus {@code migProfiles}, ignored). Zero values are omitted by the
 *       writer, so a missing member reads as zero: {@code index} 0, {@code count} 0, and <b>{@code health}
 *       false</b>. {@code null} also reads as zero, unknown members are ignored, member names match
 *       case-insensitively (as Go's {@code encoding/json}). Numbers must be integers in int32 range.</li>
 *   <li>{@link Encoding#LEGACY} (HAMi ≤ v2.7; still used by Hygon and Iluvatar): devices separated by {@code :},
 *       empty segments skipped, each device {@code uuid,count,devmem,devcore,type,numa,health} (7 fields, ≤ v2.4;
 *       index 0 and mode {@code hami-core} implied) or the same plus {@code ,index,mode} (9 fields). The value must
 *       contain a {@code :}. Health uses Go's {@code ParseBool} spellings ({@code 1 t T TRUE true True} and the
 *       false equivalents).</li>
 * </ul>
 *
 * <p>Stricter than HAMi in one respect: negative {@code count}, {@code devmem} or {@code devcore} are rejected
 * (they cannot describe a card). Every error is an {@link IllegalArgumentException} naming the device position,
 * the field, the offending value and the reason.
 *
 * <p>Capacity is counted in <em>physical cards</em>: {@link #healthyCards()} counts healthy devices, never the
 * {@code count} slots per card (the node's allocatable {@code nvidia.com/gpu} shows cards × split count).
 *
 * @param encoding the encoding the value was written in
 * @param devices  devices in annotation order
 */
public record NodeRegistration(Encoding encoding, List<Device> devices) {

    /** The encoding of a register annotation. */
    public enum Encoding {
        /** HAMi ≥ v2.8 JSON array. */
        JSON,
        /** HAMi ≤ v2.7 colon/comma form (7 or 9 fields per device). */
        LEGACY
    }

    /**
     * One registered device (a physical card, or a MIG-capable card in {@code mig} mode).
     *
     * @param id        device UUID
     * @param index     device index on the node
     * @param count     slots (max tasks) on the card: HAMi {@code deviceSplitCount}
     * @param memoryMiB registered memory ({@code devmem}, MiB, already scaled by {@code deviceMemoryScaling})
     * @param cores     registered compute ({@code devcore}, 100 × {@code deviceCoreScaling})
     * @param type      model name, e.g. {@code NVIDIA-Tesla V100-PCIE-32GB}
     * @param numa      NUMA node
     * @param mode      {@code hami-core}, {@code mig} or {@code mps}
     * @param healthy   health flag
     */
    public record Device(String id, int index, int count, int memoryMiB, int cores, String type, int numa,
                         String mode, boolean healthy) {
        public Device {
            Objects.requireNonNull(id, "id");
            type = type == null ? "" : type;
            mode = mode == null ? "" : mode;
        }
    }

    public NodeRegistration {
        Objects.requireNonNull(encoding, "encoding");
        devices = List.copyOf(devices);
    }

    /** Number of healthy devices (physical cards). */
    public int healthyCards() {
        int n = 0;
        for (Device d : devices) {
            if (d.healthy()) {
                n++;
            }
        }
        return n;
    }

    /** Total registered memory of healthy devices, MiB. */
    public long healthyMemoryMiB() {
        long m = 0;
        for (Device d : devices) {
            if (d.healthy()) {
                m += d.memoryMiB();
            }
        }
        return m;
    }

    /** Smallest registered memory among healthy devices with memory &gt; 0, or 0 when there is none. */
    public int minHealthyMemoryMiB() {
        int min = 0;
        for (Device d : devices) {
            if (d.healthy() && d.memoryMiB() > 0 && (min == 0 || d.memoryMiB() < min)) {
                min = d.memoryMiB();
            }
        }
        return min;
    }

    /**
     * Decodes a register annotation value; the encoding is JSON when the first non-blank character is {@code [},
     * else legacy.
     *
     * @param value the annotation value
     * @throws IllegalArgumentException naming the device, field, value and reason
     */
    public static NodeRegistration decode(String value) {
        if (value == null) {
            throw new IllegalArgumentException("value is null");
        }
        String v = value.strip();
        if (v.startsWith("[")) {
            return new NodeRegistration(Encoding.JSON, decodeJson(v));
        }
        return new NodeRegistration(Encoding.LEGACY, decodeLegacy(v));
    }

    // ---------------------------------------------------------------- JSON (>= v2.8)

    private static List<Device> decodeJson(String v) {
        Object root = MiniJson.parse(v);
        if (!(root instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a JSON array of devices");
        }
        List<Device> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object o = list.get(i);
            if (!(o instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("device [" + i + "]: expected a JSON object but found "
                        + describe(o));
            }
            String where = "device [" + i + "]";
            Map<String, Object> f = new java.util.TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                // Go's encoding/json matches member names case-insensitively; the last duplicate wins.
                f.put(((String) e.getKey()).toLowerCase(Locale.ROOT), e.getValue());
            }
            String id = jsonString(f, "id", where);
            where = "device [" + i + "] '" + bounded(id) + "'";
            int index = jsonInt(f, "index", where);
            if (index < 0) {
                throw new IllegalArgumentException(where + ": index " + index + " must not be negative");
            }
            int count = nonNegative(jsonInt(f, "count", where), "count", where);
            int devmem = nonNegative(jsonInt(f, "devmem", where), "devmem", where);
            int devcore = nonNegative(jsonInt(f, "devcore", where), "devcore", where);
            String type = jsonString(f, "type", where);
            int numa = jsonInt(f, "numa", where);
            String mode = jsonString(f, "mode", where);
            boolean health = jsonBool(f, "health", where);
            out.add(new Device(id, index, count, devmem, devcore, type, numa, mode, health));
        }
        return out;
    }

    private static String jsonString(Map<String, Object> f, String key, String where) {
        Object o = f.get(key);
        if (o == null || o == MiniJson.NULL) {
            return "";
        }
        if (o instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(where + ": " + key + " " + describe(o) + " is not a string");
    }

    private static int jsonInt(Map<String, Object> f, String key, String where) {
        Object o = f.get(key);
        if (o == null || o == MiniJson.NULL) {
            return 0;
        }
        if (!(o instanceof BigDecimal n)) {
            throw new IllegalArgumentException(where + ": " + key + " " + describe(o) + " is not a number");
        }
        try {
            return n.intValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(where + ": " + key + " " + n
                    + " is not an integer in int32 range");
        }
    }

    private static boolean jsonBool(Map<String, Object> f, String key, String where) {
        Object o = f.get(key);
        if (o == null || o == MiniJson.NULL) {
            return false;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(where + ": " + key + " " + describe(o) + " is not a boolean");
    }

    /** At most 64 characters, control characters and quotes escaped: user data in error messages and logs. */
    static String bounded(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == '"' || c == '\\') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 64 ? b + "...(" + s.length() + " chars)" : b.toString();
    }

    private static String describe(Object o) {
        if (o instanceof String s) {
            return "\"" + bounded(s) + "\"";
        }
        if (o instanceof BigDecimal n) {
            return n.toString(); // scientific for large exponents: never expanded
        }
        if (o instanceof List) {
            return "an array";
        }
        if (o instanceof Map) {
            return "an object";
        }
        return String.valueOf(o);
    }

    // ---------------------------------------------------------------- legacy (<= v2.7)

    private static List<Device> decodeLegacy(String v) {
        if (!v.contains(":")) {
            throw new IllegalArgumentException("value '" + abbreviate(v) + "' is neither a JSON array nor the legacy"
                    + " form: missing device separator ':'");
        }
        List<Device> out = new ArrayList<>();
        String[] segments = v.split(":", -1);
        int dev = 0;
        for (String seg : segments) {
            if (seg.isEmpty()) {
                continue;
            }
            String where = "device " + dev + " '" + abbreviate(seg) + "'";
            if (!seg.contains(",")) {
                throw new IllegalArgumentException(where + ": malformed segment (no ',' separated fields)");
            }
            String[] f = seg.split(",", -1);
            if (f.length != 7 && f.length != 9) {
                throw new IllegalArgumentException(where + ": has " + f.length
                        + " fields, expected 7 (uuid,count,devmem,devcore,type,numa,health) or 9 (+index,mode)");
            }
            int count = nonNegative(legacyInt(f[1], "count", where), "count", where);
            int devmem = nonNegative(legacyInt(f[2], "devmem", where), "devmem", where);
            int devcore = nonNegative(legacyInt(f[3], "devcore", where), "devcore", where);
            int numa = legacyInt(f[5], "numa", where);
            boolean health = parseGoBool(f[6], where);
            int index = 0;
            String mode = "hami-core";
            if (f.length == 9) {
                index = legacyInt(f[7], "index", where);
                if (index < 0) {
                    throw new IllegalArgumentException(where + ": index " + index + " must not be negative");
                }
                mode = f[8];
            }
            if (f[0].isEmpty()) {
                throw new IllegalArgumentException(where + ": empty uuid");
            }
            out.add(new Device(f[0], index, count, devmem, devcore, f[4], numa, mode, health));
            dev++;
        }
        return out;
    }

    private static int legacyInt(String s, String field, String where) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + field + " '" + bounded(s) + "' is not an int32 integer");
        }
    }

    private static boolean parseGoBool(String s, String where) {
        switch (s) {
            case "1", "t", "T", "TRUE", "true", "True":
                return true;
            case "0", "f", "F", "FALSE", "false", "False":
                return false;
            default:
                throw new IllegalArgumentException(where + ": health '" + bounded(s) + "' is not a boolean");
        }
    }

    private static int nonNegative(int v, String field, String where) {
        if (v < 0) {
            throw new IllegalArgumentException(where + ": " + field + " " + v + " must not be negative");
        }
        return v;
    }

    static String abbreviate(String s) {
        return bounded(s);
    }
}
