package io.wdrf.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RFC 6902 JSON patch ({@code add, remove, replace, move, copy, test}) over plain maps and lists, with RFC 6901
 * pointers. Failures (a failed {@code test}, a missing path, a bad operation) are {@link ApiError}s with code 422,
 * as the apiserver answers them.
 */
final class JsonPatch {

    private JsonPatch() {
    }

    /** Applies {@code ops} to a copy of {@code doc} and returns it. */
    static Object apply(Object doc, Object ops) {
        if (!(ops instanceof List<?> list)) {
            throw new ApiError(400, "a JSON patch must be an array of operations");
        }
        Object result = Json.copy(doc);
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> op)) {
                throw invalid("operation " + o + " is not an object");
            }
            String name = String.valueOf(op.get("op"));
            List<String> path = pointer(op.get("path"));
            switch (name) {
                case "add" -> result = add(result, path, Json.copy(value(op)));
                case "remove" -> result = remove(result, path);
                case "replace" -> result = path.isEmpty() ? Json.copy(value(op))
                        : add(remove(result, path), path, Json.copy(value(op)));
                case "move" -> {
                    List<String> from = pointer(op.get("from"));
                    Object v = get(result, from);
                    result = add(remove(result, from), path, v);
                }
                case "copy" -> result = add(result, path, Json.copy(get(result, pointer(op.get("from")))));
                case "test" -> {
                    if (!Objects.equals(get(result, path), Json.copy(value(op)))) {
                        throw invalid("test failed: " + op.get("path") + " is not " + op.get("value"));
                    }
                }
                default -> throw invalid("unknown operation '" + name + "'");
            }
        }
        return result;
    }

    private static Object value(Map<?, ?> op) {
        if (!op.containsKey("value")) {
            throw invalid("operation " + op.get("op") + " on " + op.get("path") + " has no value");
        }
        return op.get("value");
    }

    private static List<String> pointer(Object p) {
        if (!(p instanceof String s) || !(s.isEmpty() || s.startsWith("/"))) {
            throw invalid("'" + p + "' is not a JSON pointer");
        }
        List<String> parts = new ArrayList<>();
        if (!s.isEmpty()) {
            for (String t : s.substring(1).split("/", -1)) {
                parts.add(t.replace("~1", "/").replace("~0", "~"));
            }
        }
        return parts;
    }

    private static Object get(Object doc, List<String> path) {
        Object cur = doc;
        for (String t : path) {
            if (cur instanceof Map<?, ?> m && m.containsKey(t)) {
                cur = m.get(t);
            } else if (cur instanceof List<?> l && index(t, l.size() - 1) >= 0) {
                cur = l.get(index(t, l.size() - 1));
            } else {
                throw invalid("path /" + String.join("/", path) + " does not exist");
            }
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    private static Object add(Object doc, List<String> path, Object value) {
        if (path.isEmpty()) {
            return value;
        }
        Object parent = get(doc, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (parent instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).put(last, value);
        } else if (parent instanceof List<?> l) {
            int i = last.equals("-") ? l.size() : index(last, l.size());
            if (i < 0) {
                throw invalid("index " + last + " is out of bounds");
            }
            ((List<Object>) l).add(i, value);
        } else {
            throw invalid("cannot add to a value at /" + String.join("/", path.subList(0, path.size() - 1)));
        }
        return doc;
    }

    private static Object remove(Object doc, List<String> path) {
        if (path.isEmpty()) {
            throw invalid("cannot remove the whole document");
        }
        Object parent = get(doc, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (parent instanceof Map<?, ?> m && m.containsKey(last)) {
            m.remove(last);
        } else if (parent instanceof List<?> l && index(last, l.size() - 1) >= 0) {
            l.remove(index(last, l.size() - 1));
        } else {
            throw invalid("path /" + String.join("/", path) + " does not exist");
        }
        return doc;
    }

    /** The list index of a token when it is a number in [0, max], else -1. */
    private static int index(String token, int max) {
        if (!token.matches("0|[1-9][0-9]{0,8}")) {
            return -1;
        }
        int i = Integer.parseInt(token);
        return i <= max ? i : -1;
    }

    private static ApiError invalid(String why) {
        return new ApiError(422, "Invalid", "the JSON patch could not be applied: " + why);
    }
}
