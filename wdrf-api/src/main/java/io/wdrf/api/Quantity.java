package io.wdrf.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Kubernetes resource quantities.
 *
 * <p>{@link #parse(String)} accepts exactly the grammar of {@code k8s.io/apimachinery/pkg/api/resource}:
 * an optionally signed decimal number (digits with an optional fraction, or a fraction alone such as {@code .5})
 * followed by at most one suffix, which is a binary SI suffix ({@code Ki Mi Gi Ti Pi Ei}), a decimal SI suffix
 * ({@code n u m "" k M G T P E}) or a decimal exponent ({@code e3}, {@code E-2}, {@code e+6}). Leading or trailing
 * white space, an empty string, a lone sign or dot, unknown suffixes ({@code 1KB}, {@code 1K}, {@code 1g}) and
 * several suffixes ({@code 1Mi2}) are rejected with an {@link IllegalArgumentException} whose message quotes the
 * input and says what is wrong.
 *
 * <p>Values are exact ({@link BigDecimal}); Kubernetes' own rounding to milli-units on serialisation is not
 * applied, so {@code 1.5n} stays {@code 1.5E-9}.
 */
public final class Quantity {

    private Quantity() {
    }

    /**
     * Parses a Kubernetes quantity.
     *
     * @param text the quantity, e.g. {@code "100m"}, {@code "1.5Gi"}, {@code "2e3"}, {@code "1k"}
     * @return the exact value in base units (cores, bytes, counts)
     * @throws IllegalArgumentException naming the input and the reason when it is not a quantity
     */
    public static BigDecimal parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("quantity is null");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("quantity '' is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("quantity '" + quote(text) + "' is longer than " + MAX_LENGTH
                    + " characters");
        }
        int i = 0;
        int n = text.length();
        boolean negative = false;
        char first = text.charAt(0);
        if (first == '+' || first == '-') {
            negative = first == '-';
            i++;
        }
        int numberStart = i;
        int digitsBefore = 0;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
            digitsBefore++;
        }
        int digitsAfter = 0;
        if (i < n && text.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                digitsAfter++;
            }
        }
        if (digitsBefore + digitsAfter == 0) {
            throw new IllegalArgumentException("quantity '" + quote(text) + "' has no digits where a number is expected");
        }
        String number = text.substring(numberStart, i);
        String suffix = text.substring(i);
        BigDecimal value = new BigDecimal(number.endsWith(".") ? number.substring(0, number.length() - 1) : number);
        value = applySuffix(text, value, suffix);
        if (value.abs().compareTo(MAX_MAGNITUDE) > 0) {
            // finite as a double, and sums over any cluster stay finite: "1e309" would be Infinity
            throw new IllegalArgumentException("quantity '" + quote(text) + "' is out of range (magnitude above 1e21)");
        }
        return negative ? value.negate() : value;
    }

    /**
     * Parses a quantity and returns it as a {@code double}, for vector arithmetic.
     *
     * @throws IllegalArgumentException as {@link #parse(String)}
     */
    public static double parseDouble(String text) {
        return parse(text).doubleValue();
    }

    /** Longest quantity text accepted (the API server's quantities are far shorter). */
    public static final int MAX_LENGTH = 64;
    /** Largest magnitude accepted, in base units: above every int64 quantity the API server can hold. */
    public static final BigDecimal MAX_MAGNITUDE = new BigDecimal("1e21");

    /** The text for an error message: at most 64 characters, control characters escaped. */
    private static String quote(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.length() > 64 ? b + "..." : b.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static BigDecimal applySuffix(String text, BigDecimal value, String suffix) {
        switch (suffix) {
            case "":
                return value;
            case "n":
                return value.scaleByPowerOfTen(-9);
            case "u":
                return value.scaleByPowerOfTen(-6);
            case "m":
                return value.scaleByPowerOfTen(-3);
            case "k":
                return value.scaleByPowerOfTen(3);
            case "M":
                return value.scaleByPowerOfTen(6);
            case "G":
                return value.scaleByPowerOfTen(9);
            case "T":
                return value.scaleByPowerOfTen(12);
            case "P":
                return value.scaleByPowerOfTen(15);
            case "E":
                return value.scaleByPowerOfTen(18);
            case "Ki":
                return binary(value, 10);
            case "Mi":
                return binary(value, 20);
            case "Gi":
                return binary(value, 30);
            case "Ti":
                return binary(value, 40);
            case "Pi":
                return binary(value, 50);
            case "Ei":
                return binary(value, 60);
            default:
                return exponent(text, value, suffix);
        }
    }

    private static BigDecimal binary(BigDecimal value, int power) {
        return value.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(power)), MathContext.UNLIMITED);
    }

    private static BigDecimal exponent(String text, BigDecimal value, String suffix) {
        char e = suffix.charAt(0);
        if (e != 'e' && e != 'E') {
            throw new IllegalArgumentException("quantity '" + quote(text) + "' has unknown suffix '" + quote(suffix)
                    + "' (expected one of n u m k M G T P E Ki Mi Gi Ti Pi Ei or an exponent like e3)");
        }
        String exp = suffix.substring(1);
        int start = 0;
        if (!exp.isEmpty() && (exp.charAt(0) == '+' || exp.charAt(0) == '-')) {
            start = 1;
        }
        if (exp.length() == start) {
            throw new IllegalArgumentException("quantity '" + quote(text) + "' has an exponent without digits");
        }
        for (int k = start; k < exp.length(); k++) {
            if (!isDigit(exp.charAt(k))) {
                throw new IllegalArgumentException("quantity '" + quote(text) + "' has a malformed exponent '" + quote(suffix) + "'");
            }
        }
        if (exp.length() - start > 4) {
            throw new IllegalArgumentException("quantity '" + quote(text) + "' has an exponent out of range");
        }
        return value.scaleByPowerOfTen(Integer.parseInt(exp));
    }
}
