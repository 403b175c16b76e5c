package org.fedrec.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key, defined once: name, type, default, allowed values and a doc string. Parsing a
 * raw value (from YAML, JSON or the command line) checks all of these and names the key when it fails.
 */
public final class ConfigKey<T> {

    /** The value types a key can have. */
    public enum Type { INT, LONG, DOUBLE, BOOLEAN, STRING, CHOICE }

    private final String name;
    private final Type type;
    private final T defaultValue;
    private final String doc;
    private final double min;
    private final double max;
    private final List<String> choices;

    private ConfigKey(String name, Type type, T defaultValue, String doc, double min, double max, List<String> choices) {
        if (name == null || !name.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
            throw new IllegalArgumentException("config key names are dotted lower_snake_case, found '" + name + "'");
        }
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.min = min;
        this.max = max;
        this.choices = choices;
    }

    public static ConfigKey<Integer> ofInt(String name, int dflt, int min, int max, String doc) {
        return new ConfigKey<>(name, Type.INT, dflt, doc, min, max, List.of());
    }

    public static ConfigKey<Long> ofLong(String name, long dflt, String doc) {
        return new ConfigKey<>(name, Type.LONG, dflt, doc, Long.MIN_VALUE, Long.MAX_VALUE, List.of());
    }

    public static ConfigKey<Double> ofDouble(String name, double dflt, double min, double max, String doc) {
        return new ConfigKey<>(name, Type.DOUBLE, dflt, doc, min, max, List.of());
    }

    public static ConfigKey<Boolean> ofBoolean(String name, boolean dflt, String doc) {
        return new ConfigKey<>(name, Type.BOOLEAN, dflt, doc, 0, 0, List.of());
    }

    /** A free-form string; {@code dflt} may be null for "unset". */
    public static ConfigKey<String> ofString(String name, String dflt, String doc) {
        return new ConfigKey<>(name, Type.STRING, dflt, doc, 0, 0, List.of());
    }

    /** A string from a fixed set of choices, compared case-insensitively and stored in lower case. */
    public static ConfigKey<String> ofChoice(String name, String dflt, List<String> choices, String doc) {
        if (!choices.contains(dflt)) {
            throw new IllegalArgumentException("default '" + dflt + "' of " + name + " is not among " + choices);
        }
        return new ConfigKey<>(name, Type.CHOICE, dflt, doc, 0, 0, List.copyOf(choices));
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    public List<String> choices() {
        return choices;
    }

    /** Human-readable expected values, for help and errors. */
    public String expected() {
        return switch (type) {
            case INT, DOUBLE -> type.name().toLowerCase(Locale.ROOT) + " in [" + fmt(min) + ", " + fmt(max) + "]";
            case LONG -> "a whole number";
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case CHOICE -> "one of " + String.join(", ", choices);
        };
    }

    private static String fmt(double d) {
        if (d == Integer.MAX_VALUE || d == Double.MAX_VALUE) {
            return "inf";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** Converts a raw value (a String from the command line, or a number/boolean from a file). */
    @SuppressWarnings("unchecked")
    public T parse(Object raw) {
        if (raw == null) {
            throw new ConfigException(name, "expected " + expected() + ", found null");
        }
        String text = raw.toString().trim();
        try {
            Object v = switch (type) {
                case INT -> {
                    if (raw instanceof Number n && n.doubleValue() != Math.rint(n.doubleValue())) {
                        throw new NumberFormatException();
                    }
                    int i = raw instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.parseInt(text.replace("_", ""));
                    yield checkRange(i, text);
                }
                case LONG -> raw instanceof Number n ? n.longValue() : Long.parseLong(text.replace("_", ""));
                case DOUBLE -> {
                    double d = raw instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
                    if (Double.isNaN(d)) {
                        throw new NumberFormatException();
                    }
                    yield checkRange(d, text);
                }
                case BOOLEAN -> {
                    if (raw instanceof Boolean b) {
                        yield b;
                    }
                    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                        yield Boolean.parseBoolean(text);
                    }
                    throw new NumberFormatException();
                }
                case STRING -> text;
                case CHOICE -> {
                    String lower = text.toLowerCase(Locale.ROOT);
                    if (!choices.contains(lower)) {
                        throw new ConfigException(name, "expected " + expected() + ", found '" + text + "'");
                    }
                    yield lower;
                }
            };
            return (T) v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(name, "expected " + expected() + ", found '" + text + "'");
        }
    }

    private Object checkRange(double v, String text) {
        if (v < min || v > max) {
            throw new ConfigException(name, "expected " + expected() + ", found " + text);
        }
        return type == Type.INT ? (Object) (int) v : (Object) v;
    }

    @Override
    public String toString() {
        return name;
    }
}
