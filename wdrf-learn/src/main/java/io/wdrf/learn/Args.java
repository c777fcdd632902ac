package io.wdrf.learn;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --key value} / {@code --key=value} options, checked against the known keys; flags take no value. */
final class Args {

    final Map<String, String> values = new LinkedHashMap<>();

    static Args parse(String[] args, Set<String> keys, Set<String> flags) {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String s = args[i];
            if (!s.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + clean(s) + "'");
            }
            String key = s.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (flags.contains(key)) {
                value = "true";
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + clean(key) + " needs a value");
                }
                value = args[++i];
            }
            if (!keys.contains(key) && !flags.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + clean(key));
            }
            a.values.put(key, value);
        }
        return a;
    }

    String get(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    boolean flag(String key) {
        return "true".equals(values.get(key));
    }

    int integer(String key, int dflt, int min, int max) {
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException("--" + key + ": " + n + " must be in [" + min + ", " + max + "]");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": '" + clean(v) + "' is not a whole number");
        }
    }

    double number(String key, double dflt) {
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": '" + clean(v) + "' is not a number");
        }
    }

    Duration duration(String key, String dflt) {
        String v = values.getOrDefault(key, dflt).trim();
        try {
            if (v.length() < 2) {
                throw new NumberFormatException();
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            Duration d = switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("--" + key + ": " + v + " must be positive");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + ": '" + clean(v) + "' is not a duration like 30s, 5m, 12h, 7d");
        }
    }

    /** Printable form of user input (control characters replaced). */
    static String clean(String s) {
        String c = s.replaceAll("\\p{Cntrl}", "?");
        return c.length() > 200 ? c.substring(0, 200) + "…" : c;
    }
}
