package org.fedrec.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Fleet} collected in one request: results in instruction order, failures, and metrics of
 * the fleet itself (a simulated fleet reports the simulated round time, say; most report none). The
 * {@link RoundLoop} records a fit request's metrics with the round's training metrics.
 */
public record Responses<T>(List<T> results, List<ClientFailure> failures, Map<String, Double> metrics) {
    public Responses {
        results = List.copyOf(results);
        failures = List.copyOf(failures);
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** Responses without fleet metrics. */
    public Responses(List<T> results, List<ClientFailure> failures) {
        this(results, failures, Map.of());
    }
}
