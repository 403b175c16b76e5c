package org.fedrec.cli.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedrec.core.config.ConfigException;

/**
 * Command-line configuration overrides: {@code key=value} entries such as {@code train.lr=0.01}. The
 * value is everything after the first {@code =} and stays a string; {@link org.fedrec.core.config.ConfigDef}
 * parses and checks it against the key's type. A key given twice keeps its last value.
 */
public final class Overrides {

    private static final String KEY = "[A-Za-z][A-Za-z0-9_@-]*(\\.[A-Za-z][A-Za-z0-9_@-]*)*";

    private Overrides() {
    }

    /**
     * Parses {@code key=value} entries, in order.
     *
     * @throws ConfigException naming the malformed entry and what was expected
     */
    public static Map<String, String> parse(List<String> entries) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw malformed(entry, "no '='");
            }
            String key = entry.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw malformed(entry, "the key before '=' is empty");
            }
            if (!key.matches(KEY)) {
                throw malformed(entry, "'" + key + "' is not a dotted key like train.lr");
            }
            values.remove(key);
            values.put(key, entry.substring(eq + 1));
        }
        return values;
    }

    private static ConfigException malformed(String entry, String problem) {
        return new ConfigException(null, "malformed override '" + entry + "': " + problem
                + "; expected key=value, e.g. train.lr=0.01");
    }
}
