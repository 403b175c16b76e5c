package org.fedrec.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A client's answer to a {@link FitInstruction}: its update, the number of training examples it used
 * (the FedAvg weight n_k), and scalar training metrics such as the mean loss.
 */
public record FitResult(String clientId, long numExamples, ModelUpdate update, Map<String, Double> metrics) {
    public FitResult {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(update, "update");
        if (numExamples < 0) {
            throw new IllegalArgumentException("client " + clientId + " reported " + numExamples + " examples");
        }
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
