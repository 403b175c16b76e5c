package org.fedrec.cli.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedrec.core.config.Config;
import org.fedrec.core.config.ConfigDef;
import org.fedrec.core.config.ConfigException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Configuration files, YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}), read into the flat
 * {@code key -> value} map that {@link ConfigDef#parse} takes: nested objects become dotted keys
 * ({@code {"train": {"lr": 0.01}}} is {@code train.lr = 0.01}). Values stay as the file typed them
 * (Integer, Long, Double, Boolean, String, List, or null). Errors name the file, and the line and column
 * when the parser knows them.
 */
public final class ConfigFiles {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigFiles() {
    }

    /**
     * Reads a YAML or JSON file (chosen by extension) into a flat map with dotted keys, in file order.
     * An empty file gives an empty map.
     *
     * @throws ConfigException when the file is missing, unreadable, not YAML/JSON, not an object at the
     *                         top level, or defines a key twice (also through nesting: {@code a.b} and
     *                         {@code a: {b: …}})
     */
    public static Map<String, Object> load(Path file) {
        ObjectMapper mapper = mapperFor(file);
        JsonNode root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = mapper.readTree(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, "config file " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw new ConfigException(null, "config file " + file + where(e) + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(null, "cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new ConfigException(null, "config file " + file
                    + ": expected an object of keys at the top level, found "
                    + describe(root));
        }
        flatten("", root, flat, file);
        return flat;
    }

    /**
     * The configuration from defaults, then {@code file} (may be null), then command-line
     * {@code overrides} ({@code key=value}), validated by {@code def}. Errors name where the bad value came
     * from: the file, or the override as typed.
     */
    public static Config resolve(ConfigDef def, Path file, List<String> overrides) {
        Map<String, Object> fromFile = file == null ? Map.of() : load(file);
        Config config = def.parse(fromFile, file == null ? "defaults" : "config file " + file);
        for (Map.Entry<String, String> e : Overrides.parse(overrides).entrySet()) {
            try {
                config = config.with(e.getKey(), e.getValue());
            } catch (ConfigException ex) {
                throw new ConfigException(null, ex.getMessage() + " (in command-line override '" + e.getKey() + "="
                        + e.getValue() + "')");
            }
        }
        return config;
    }

    private static ObjectMapper mapperFor(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        throw new ConfigException(null, "config file " + file + ": expected a .yaml, .yml or .json file");
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> flat, Path file) {
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            String key = prefix + f.getKey();
            if (f.getValue().isObject()) {
                flatten(key + ".", f.getValue(), flat, file);
            } else if (flat.containsKey(key)) {
                throw new ConfigException(key, "defined twice in config file " + file
                        + " (once dotted, once nested)");
            } else {
                flat.put(key, value(f.getValue()));
            }
        }
    }

    private static Object value(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToInt() ? (Object) node.intValue()
                    : node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node instanceof ArrayNode array) {
            List<Object> list = new ArrayList<>(array.size());
            array.forEach(element -> list.add(element.isObject() ? element.toString() : value(element)));
            return list;
        }
        return node.asText();
    }

    private static String describe(JsonNode node) {
        return node.isArray() ? "a list" : node.isTextual() ? "the text '" + node.asText() + "'"
                : "the value " + node;
    }

    /** Where the parser found the problem; for YAML SnakeYAML's problem mark, which is more precise. */
    private static String where(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark m = yaml.getProblemMark();
            return ", line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
        }
        JsonLocation loc = e.getLocation();
        if (loc == null || loc.getLineNr() < 1) {
            return "";
        }
        return ", line " + loc.getLineNr() + (loc.getColumnNr() > 0 ? ", column " + loc.getColumnNr() : "");
    }

    /**
     * SnakeYAML's messages span several lines, repeating the location and echoing the source line with a
     * caret under it; keep the words only, on one line.
     */
    private static String firstLine(String message) {
        if (message == null) {
            return "cannot parse";
        }
        String[] lines = message.strip().split("\\R");
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            boolean echo = i + 1 < lines.length && lines[i + 1].strip().equals("^");
            if (l.isEmpty() || echo || l.equals("^") || l.startsWith("in '") || l.startsWith("at [Source")) {
                continue;
            }
            kept.add(l);
        }
        return kept.isEmpty() ? lines[0].strip() : String.join("; ", kept);
    }
}
