package org.fedrec.core;

import java.util.List;

/** What a {@link Fleet} collected in one request: results in instruction order, and failures. */
public record Responses<T>(List<T> results, List<ClientFailure> failures) {
    public Responses {
        results = List.copyOf(results);
        failures = List.copyOf(failures);
    }
}
