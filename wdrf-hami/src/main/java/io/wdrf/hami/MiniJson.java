package io.wdrf.hami;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader for annotation values, so this module needs no JSON library.
 *
 * <p>Values map to {@link List}, {@link LinkedHashMap} (keys in document order), {@link String},
 * {@link BigDecimal}, {@link Boolean} and {@link #NULL}. Errors are {@link IllegalArgumentException}s that name the
 * character offset and what was expected.
 */
final class MiniJson {

    /** The JSON {@code null} literal (a Java null cannot be stored in every collection). */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final int MAX_DEPTH = 64;
    /** Longest number lexeme accepted. */
    static final int MAX_NUMBER_CHARS = 64;
    /** Largest decimal magnitude (digits before or after the point) of an accepted number. */
    static final int MAX_MAGNITUDE = 400;

    private final String s;
    private int pos;

    private MiniJson(String s) {
        this.s = s;
    }

    /** Parses one JSON document; trailing non-white-space is an error. */
    static Object parse(String text) {
        MiniJson p = new MiniJson(text);
        p.skipWs();
        Object v = p.value(0);
        p.skipWs();
        if (p.pos != p.s.length()) {
            throw p.error("unexpected trailing content");
        }
        return v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        if (pos >= s.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '[':
                return array(depth);
            case '{':
                return object(depth);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + shown(c) + "', expected a value");
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> out = new ArrayList<>();
        skipWs();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            skipWs();
            out.add(value(depth + 1));
            skipWs();
            char c = next("',' or ']'");
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' but found '" + shown(c) + "'");
            }
        }
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> out = new LinkedHashMap<>();
        skipWs();
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            skipWs();
            if (peek() != '"') {
                throw error("expected a quoted member name");
            }
            String key = string();
            skipWs();
            char colon = next("':'");
            if (colon != ':') {
                pos--;
                throw error("expected ':' after member name \"" + NodeRegistration.bounded(key) + "\"");
            }
            skipWs();
            out.put(key, value(depth + 1));
            skipWs();
            char c = next("',' or '}'");
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' but found '" + shown(c) + "'");
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next("an escape character");
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        throw error("truncated \\u escape");
                    }
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(s.charAt(pos + k), 16);
                        if (d < 0) {
                            throw error("bad hex digit in \\u escape");
                        }
                        cp = cp * 16 + d;
                    }
                    pos += 4;
                    b.append((char) cp);
                }
                default -> {
                    pos--;
                    throw error("invalid escape '\\" + shown(e) + "'");
                }
            }
        }
    }

    private BigDecimal number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("expected a digit");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after '.'");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in exponent");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            throw error("number longer than " + MAX_NUMBER_CHARS + " characters");
        }
        BigDecimal n;
        try {
            n = new BigDecimal(s.substring(start, pos));
        } catch (NumberFormatException | ArithmeticException ex) {
            throw error("number out of range");
        }
        // 1e999999999 is 11 characters but a billion digits once expanded: bound the magnitude, not only the text
        if (n.signum() != 0 && Math.abs((long) n.precision() - n.scale()) > MAX_MAGNITUDE) {
            throw error("number out of range (more than " + MAX_MAGNITUDE + " digits)");
        }
        return n;
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected token, expected '" + word + "'");
        }
        pos += word.length();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char next(String expected) {
        if (pos >= s.length()) {
            throw error("unexpected end of input, expected " + expected);
        }
        return s.charAt(pos++);
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    /** A character for an error message: control and line-separator characters escaped. */
    private static String shown(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ? String.format("\\u%04x", (int) c)
                : String.valueOf(c);
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + why);
    }
}
