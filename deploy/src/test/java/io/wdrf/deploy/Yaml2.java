package io.wdrf.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Navigation in parsed YAML/JSON trees by dotted paths ({@code spec.template.spec}); a literal dot in a key is
 * written {@code \.}. Missing or mistyped nodes fail with the full path in the message.
 */
final class Yaml2 {

    private Yaml2() {
    }

    static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length() && path.charAt(i + 1) == '.') {
                cur.append('.');
                i++;
            } else if (c == '.') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    static Optional<Object> opt(Object root, String path) {
        Object cur = root;
        for (String part : split(path)) {
            if (!(cur instanceof Map)) {
                return Optional.empty();
            }
            cur = ((Map<?, ?>) cur).get(part);
            if (cur == null) {
                return Optional.empty();
            }
        }
        return Optional.of(cur);
    }

    static Object get(Object root, String path) {
        return opt(root, path).orElseThrow(() -> new AssertionError("missing field " + path));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object root, String path) {
        Object o = get(root, path);
        if (!(o instanceof Map)) {
            throw new AssertionError(path + " is not a mapping: " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object root, String path) {
        Object o = get(root, path);
        if (!(o instanceof List)) {
            throw new AssertionError(path + " is not a list: " + o);
        }
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object root, String path) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : list(root, path)) {
            if (!(o instanceof Map)) {
                throw new AssertionError(path + " contains a non-mapping item: " + o);
            }
            out.add((Map<String, Object>) o);
        }
        return out;
    }

    static List<String> strings(Object root, String path) {
        List<String> out = new ArrayList<>();
        for (Object o : list(root, path)) {
            if (!(o instanceof String)) {
                throw new AssertionError(path + " contains a non-string item: " + o);
            }
            out.add((String) o);
        }
        return out;
    }

    static List<String> optStrings(Object root, String path) {
        return opt(root, path).isPresent() ? strings(root, path) : List.of();
    }

    static String str(Object root, String path) {
        Object o = get(root, path);
        if (!(o instanceof String)) {
            throw new AssertionError(path + " is not a string: " + o);
        }
        return (String) o;
    }

    static Optional<String> optStr(Object root, String path) {
        return opt(root, path).map(o -> {
            if (!(o instanceof String)) {
                throw new AssertionError(path + " is not a string: " + o);
            }
            return (String) o;
        });
    }
}
