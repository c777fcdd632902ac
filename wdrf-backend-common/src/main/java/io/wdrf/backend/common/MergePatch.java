package io.wdrf.backend.common;

import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.Workload;

/**
 * JSON merge patch (RFC 7386) bodies for WDRF's writes. A tiny writer of its own (no JSON library): the only
 * dynamic parts are an integer and two annotation strings, escaped per RFC 8259.
 */
public final class MergePatch {

    private MergePatch() {
    }

    /**
     * The merge patch for one update: {@code {"spec":{"priority":N}}} for {@link PriorityTarget#SPEC_PRIORITY},
     * the {@code kueue.x-k8s.io/priority-boost} annotation for {@link PriorityTarget#PRIORITY_BOOST}, plus the
     * {@code wdrf.x-k8s.io/explanation} annotation when the update carries an explanation, and the update's
     * {@link PriorityUpdate#annotations()} ({@code null} removes one); {@link PriorityTarget#ANNOTATIONS} writes only
     * those annotations.
     */
    public static String forUpdate(PriorityUpdate update) {
        StringBuilder b = new StringBuilder(96);
        b.append('{');
        boolean boost = update.target() == PriorityTarget.PRIORITY_BOOST;
        boolean annotationsOnly = update.target() == PriorityTarget.ANNOTATIONS;
        String explanation = update.explanation();
        if (boost || explanation != null || !update.annotations().isEmpty()) {
            b.append("\"metadata\":{\"annotations\":{");
            boolean first = true;
            if (boost) {
                quote(b, Workload.PRIORITY_BOOST).append(':');
                quote(b, Integer.toString(update.value()));
                first = false;
            }
            if (explanation != null) {
                if (!first) {
                    b.append(',');
                }
                quote(b, PriorityUpdate.EXPLANATION_ANNOTATION).append(':');
                quote(b, explanation);
                first = false;
            }
            for (java.util.Map.Entry<String, String> e : update.annotations().entrySet()) {
                if (!first) {
                    b.append(',');
                }
                quote(b, e.getKey()).append(':');
                if (e.getValue() == null) {
                    b.append("null");
                } else {
                    quote(b, e.getValue());
                }
                first = false;
            }
            b.append("}}");
        }
        if (!boost && !annotationsOnly) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append("\"spec\":{\"priority\":").append(update.value()).append("}");
        }
        return b.append('}').toString();
    }

    /** Appends {@code s} as a JSON string literal. */
    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                case '\b':
                    b.append("\\b");
                    break;
                case '\f':
                    b.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validSurrogateAt(s, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"');
    }

    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
        return quote(new StringBuilder(s.length() + 2), s).toString();
    }
}
