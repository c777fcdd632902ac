package io.wdrf.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Label selectors ({@code k=v}, {@code k==v}, {@code k!=v}, {@code k}, {@code !k}, {@code k in (a,b)},
 * {@code k notin (a,b)}) and field selectors ({@code path=v}, {@code path!=v} with dotted paths such as
 * {@code metadata.name}); comma-separated requirements are ANDed.
 */
final class Selector {

    private static final Pattern SET = Pattern.compile("^\\s*([^\\s!=(),]+)\\s+(in|notin)\\s+\\(([^)]*)\\)\\s*$");
    private static final Pattern NOT_EXISTS = Pattern.compile("^\\s*!\\s*([^\\s!=(),]+)\\s*$");
    private static final Pattern EQ = Pattern.compile("^\\s*([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s!=(),]*)\\s*$");
    private static final Pattern EXISTS = Pattern.compile("^\\s*([^\\s!=(),]+)\\s*$");

    private Selector() {
    }

    /** A predicate over objects for a labelSelector; null or blank selects everything. */
    static Predicate<Map<String, Object>> labels(String selector) {
        List<Predicate<Map<String, String>>> reqs = new ArrayList<>();
        for (String part : split(selector)) {
            Matcher m;
            if ((m = SET.matcher(part)).matches()) {
                String key = m.group(1);
                boolean in = m.group(2).equals("in");
                Set<String> values = new TreeSet<>();
                Arrays.stream(m.group(3).split(",")).map(String::trim).forEach(values::add);
                reqs.add(l -> in == (l.containsKey(key) && values.contains(l.get(key))));
            } else if ((m = NOT_EXISTS.matcher(part)).matches()) {
                String key = m.group(1);
                reqs.add(l -> !l.containsKey(key));
            } else if ((m = EQ.matcher(part)).matches()) {
                String key = m.group(1);
                String value = m.group(3);
                boolean eq = !m.group(2).equals("!=");
                reqs.add(l -> eq == value.equals(l.get(key)));
            } else if ((m = EXISTS.matcher(part)).matches()) {
                String key = m.group(1);
                reqs.add(l -> l.containsKey(key));
            } else {
                throw new ApiError(400, "unable to parse requirement '" + part.trim() + "' of labelSelector '"
                        + selector + "'");
            }
        }
        return obj -> {
            Map<String, String> l = Json.labels(obj);
            return reqs.stream().allMatch(r -> r.test(l));
        };
    }

    /** A predicate over objects for a fieldSelector (equality and inequality on dotted paths, compared as strings). */
    static Predicate<Map<String, Object>> fields(String selector) {
        List<Predicate<Map<String, Object>>> reqs = new ArrayList<>();
        for (String part : split(selector)) {
            Matcher m = EQ.matcher(part);
            if (!m.matches()) {
                throw new ApiError(400, "unable to parse requirement '" + part.trim() + "' of fieldSelector '"
                        + selector + "'");
            }
            String[] path = m.group(1).split("\\.");
            String value = m.group(3);
            boolean eq = !m.group(2).equals("!=");
            reqs.add(o -> {
                Object v = Json.at(o, path);
                return eq == value.equals(v == null ? "" : String.valueOf(v));
            });
        }
        return obj -> reqs.stream().allMatch(r -> r.test(obj));
    }

    /** Splits on commas that are not inside parentheses; blank parts are dropped. */
    private static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        if (s == null) {
            return parts;
        }
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        parts.removeIf(p -> p.isBlank());
        return parts;
    }
}
