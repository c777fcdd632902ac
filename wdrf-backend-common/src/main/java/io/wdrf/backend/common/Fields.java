package io.wdrf.backend.common;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Typed access to a JSON tree made of {@code Map<String,Object>}, {@code List<Object>}, {@code String},
 * {@code Number} and {@code Boolean}. Every getter takes the JSON path of the value for its error messages and
 * throws {@link BadFieldException} when the value has the wrong type.
 */
final class Fields {

    private Fields() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object v, String path, boolean required) {
        if (v == null) {
            if (required) {
                throw new BadFieldException(path, null, "is missing");
            }
            return null;
        }
        if (!(v instanceof Map)) {
            throw new BadFieldException(path, v, "is not an object");
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object v, String path, boolean required) {
        if (v == null) {
            if (required) {
                throw new BadFieldException(path, null, "is missing");
            }
            return null;
        }
        if (!(v instanceof List)) {
            throw new BadFieldException(path, v, "is not a list");
        }
        return (List<Object>) v;
    }

    static String string(Object v, String path, boolean required) {
        if (v == null) {
            if (required) {
                throw new BadFieldException(path, null, "is missing");
            }
            return null;
        }
        if (!(v instanceof String)) {
            throw new BadFieldException(path, v, "is not a string");
        }
        return (String) v;
    }

    static Boolean bool(Object v, String path) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof Boolean)) {
            throw new BadFieldException(path, v, "is not a boolean");
        }
        return (Boolean) v;
    }

    /** An int32 value; numbers with a fraction, strings and out-of-range values are rejected. */
    static Integer int32(Object v, String path) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number)) {
            throw new BadFieldException(path, v, "is not an integer");
        }
        BigDecimal d = toBigDecimal((Number) v);
        BigInteger i;
        try {
            i = d.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new BadFieldException(path, v, "is not an integer");
        }
        if (i.bitLength() > 31) {
            throw new BadFieldException(path, v, "is outside the int32 range");
        }
        return i.intValue();
    }

    static BigDecimal toBigDecimal(Number n) {
        if (n instanceof BigDecimal) {
            return (BigDecimal) n;
        }
        if (n instanceof BigInteger) {
            return new BigDecimal((BigInteger) n);
        }
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            return BigDecimal.valueOf(n.longValue());
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new NumberFormatException("not finite: " + d);
        }
        return new BigDecimal(n.toString());
    }

    /** A quantity written as a JSON string or number, as raw text. */
    static String quantityText(Object v, String path) {
        if (v == null) {
            return null;
        }
        if (v instanceof String) {
            return (String) v;
        }
        if (v instanceof Number) {
            try {
                return toBigDecimal((Number) v).toPlainString();
            } catch (NumberFormatException e) {
                throw new BadFieldException(path, v, "is not a finite number");
            }
        }
        throw new BadFieldException(path, v, "is not a quantity (string or number)");
    }

    /** A map of string values (labels, annotations, node selectors). */
    static Map<String, String> stringMap(Object v, String path, Interner interner, boolean internValues) {
        Map<String, Object> m = map(v, path, false);
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object val = e.getValue();
            if (val == null) {
                continue;
            }
            if (!(val instanceof String)) {
                throw new BadFieldException(path + "[\"" + e.getKey() + "\"]", val, "is not a string");
            }
            String s = (String) val;
            out.put(interner.intern(e.getKey()), internValues ? interner.intern(s) : s);
        }
        return out;
    }

    /** A map of raw quantity strings (requests, limits, allocatable, overhead). */
    static Map<String, String> quantityMap(Object v, String path, Interner interner) {
        Map<String, Object> m = map(v, path, false);
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String q = quantityText(e.getValue(), path + "." + e.getKey());
            if (q != null) {
                out.put(interner.intern(e.getKey()), interner.intern(q));
            }
        }
        return out;
    }

    /** An RFC 3339 timestamp. */
    static Instant time(Object v, String path, boolean required) {
        String s = string(v, path, required);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw new BadFieldException(path, v, "is not an RFC 3339 timestamp");
            }
        }
    }

    /**
     * Short, single-line description of a JSON value for error messages (strings quoted, long values cut): control
     * characters (C0, DEL, C1, U+2028/U+2029) are shown as {@code \\uXXXX}, so a value cannot forge log lines
     * (a Jazzer finding: the line separator was replaced, other control characters were echoed).
     */
    static String describe(Object v) {
        String s;
        if (v instanceof String) {
            s = "'" + v + "'";
        } else if (v instanceof Map) {
            s = "an object";
        } else if (v instanceof List) {
            s = "a list of " + ((List<?>) v).size();
        } else {
            s = String.valueOf(v);
        }
        if (s.length() > 200) {
            s = s.substring(0, 200);
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        s = b.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
