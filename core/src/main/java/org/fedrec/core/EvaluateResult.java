package org.fedrec.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A client's evaluation: metric means over its {@code numExamples} evaluated examples (users, for
 * ranking metrics), so that the server can form the example-weighted mean over clients.
 */
public record EvaluateResult(String clientId, long numExamples, Map<String, Double> metrics) {
    public EvaluateResult {
        Objects.requireNonNull(clientId, "clientId");
        if (numExamples < 0) {
            throw new IllegalArgumentException("client " + clientId + " reported " + numExamples + " examples");
        }
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
