package io.wdrf.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON helpers over plain maps and lists: parse, write, normalising deep copy, RFC 7386 merge patch, paths. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Parses JSON text; numbers become Integer/Long/Double, objects LinkedHashMap, arrays ArrayList. */
    static Object parse(byte[] bytes) throws IOException {
        return copy(MAPPER.readValue(bytes, Object.class));
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise to JSON: " + e.getMessage(), e);
        }
    }

    static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise to JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Deep copy that normalises values to what {@link #parse} produces, so that maps compare equal whether they were
     * built in Java or read from the wire (Integer 1 and Long 1 become the same).
     *
     * @throws IllegalArgumentException for values JSON cannot carry
     */
    static Object copy(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), copy(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(copy(o));
            }
            return out;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            BigInteger b = v instanceof BigInteger bi ? bi : BigInteger.valueOf(((Number) v).longValue());
            if (b.bitLength() < 32) {
                return b.intValue();
            }
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            return ((Number) v).doubleValue();
        }
        throw new IllegalArgumentException("value of type " + v.getClass().getName() + " cannot be represented in JSON");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> copyMap(Map<String, ?> m) {
        return (Map<String, Object>) copy(m);
    }

    /** RFC 7386 JSON merge patch: objects merge recursively, null deletes, everything else replaces. */
    @SuppressWarnings("unchecked")
    static Object mergePatch(Object target, Object patch) {
        if (!(patch instanceof Map<?, ?> p)) {
            return copy(patch);
        }
        Map<String, Object> result = target instanceof Map<?, ?> t ? copyMap((Map<String, ?>) t) : new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : p.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (e.getValue() == null) {
                result.remove(key);
            } else {
                result.put(key, mergePatch(result.get(key), e.getValue()));
            }
        }
        return result;
    }

    /** The map at {@code key} of {@code m}, created when absent (or when not a map). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> child(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Map<?, ?>) {
            return (Map<String, Object>) v;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        m.put(key, c);
        return c;
    }

    /** Value at a dotted path, or null when any step is missing or not an object. */
    static Object at(Map<String, ?> m, String... path) {
        Object cur = m;
        for (String p : path) {
            if (!(cur instanceof Map<?, ?> cm)) {
                return null;
            }
            cur = cm.get(p);
        }
        return cur;
    }

    /** String value at a path, or "" when absent or not a string. */
    static String str(Map<String, ?> m, String... path) {
        Object v = at(m, path);
        return v instanceof String s ? s : "";
    }

    /** metadata.labels as strings (non-string values are skipped). */
    static Map<String, String> labels(Map<String, ?> obj) {
        Map<String, String> out = new LinkedHashMap<>();
        if (at(obj, "metadata", "labels") instanceof Map<?, ?> l) {
            l.forEach((k, v) -> {
                if (v instanceof String s) {
                    out.put(String.valueOf(k), s);
                }
            });
        }
        return out;
    }
}
