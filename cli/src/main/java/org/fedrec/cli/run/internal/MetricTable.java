package org.fedrec.cli.run.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedrec.core.RoundRecord;

/**
 * Round records as a table: one row per round; columns {@code round}, the fit metrics, the evaluation
 * metrics, {@code fit_seconds}, {@code evaluate_seconds}. Metric columns appear in the order their keys
 * were first seen. An evaluation metric whose key is also a fit metric is named {@code eval_KEY}; a
 * metric named like a fixed column gets a {@code fit_}/{@code eval_} prefix. Cells of metrics a round did
 * not report are null (empty in CSV).
 */
public final class MetricTable {

    public static final String ROUND = "round";
    public static final String FIT_SECONDS = "fit_seconds";
    public static final String EVALUATE_SECONDS = "evaluate_seconds";
    private static final Set<String> FIXED = Set.of(ROUND, FIT_SECONDS, EVALUATE_SECONDS);

    private final List<String> header;
    private final List<Map<String, Object>> rows;

    private MetricTable(List<String> header, List<Map<String, Object>> rows) {
        this.header = header;
        this.rows = rows;
    }

    public static MetricTable of(List<RoundRecord> records) {
        Set<String> fitKeys = new LinkedHashSet<>();
        Set<String> evalKeys = new LinkedHashSet<>();
        for (RoundRecord r : records) {
            fitKeys.addAll(r.fitMetrics().keySet());
            evalKeys.addAll(r.evaluateMetrics().keySet());
        }
        Map<String, String> fitNames = new LinkedHashMap<>();
        for (String k : fitKeys) {
            fitNames.put(k, FIXED.contains(k) ? "fit_" + k : k);
        }
        Map<String, String> evalNames = new LinkedHashMap<>();
        for (String k : evalKeys) {
            evalNames.put(k, FIXED.contains(k) || fitNames.containsValue(k) ? "eval_" + k : k);
        }
        List<String> header = new ArrayList<>();
        header.add(ROUND);
        header.addAll(fitNames.values());
        header.addAll(evalNames.values());
        header.add(FIT_SECONDS);
        header.add(EVALUATE_SECONDS);

        List<Map<String, Object>> rows = new ArrayList<>(records.size());
        for (RoundRecord r : records) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(ROUND, r.round());
            fitNames.forEach((key, name) -> row.put(name, r.fitMetrics().get(key)));
            evalNames.forEach((key, name) -> row.put(name, r.evaluateMetrics().get(key)));
            row.put(FIT_SECONDS, r.fitNanos() / 1e9);
            row.put(EVALUATE_SECONDS, r.evaluateNanos() / 1e9);
            rows.add(Collections.unmodifiableMap(row));
        }
        return new MetricTable(List.copyOf(header), Collections.unmodifiableList(rows));
    }

    public List<String> header() {
        return header;
    }

    /** One map per round, keys in {@link #header()} order, every key present (null where not reported). */
    public List<Map<String, Object>> rows() {
        return rows;
    }

    /** RFC 4180 CSV with a header line; numbers in Java's shortest round-trip form, NaN as {@code NaN}. */
    public byte[] csv() {
        StringBuilder sb = new StringBuilder();
        appendLine(sb, header);
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>(header.size());
            for (String column : header) {
                Object v = row.get(column);
                cells.add(v == null ? "" : v.toString());
            }
            appendLine(sb, cells);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON array with one object per round. */
    public byte[] json() {
        return Json.bytes(rows);
    }

    private static void appendLine(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(cells.get(i)));
        }
        sb.append('\n');
    }

    private static String quote(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
