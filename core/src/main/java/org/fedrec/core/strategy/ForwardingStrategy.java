package org.fedrec.core.strategy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.Strategy;

/**
 * A strategy decorator's base: every hook goes to the wrapped strategy; a decorator overrides the hooks it
 * changes (usually {@link #aggregateFit}) and keeps the others' client selection and evaluation.
 */
public abstract class ForwardingStrategy implements Strategy {

    private final Strategy delegate;

    protected ForwardingStrategy(Strategy delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped strategy. */
    public Strategy delegate() {
        return delegate;
    }

    @Override
    public List<FitInstruction> configureFit(int round, ModelState global, List<String> available,
                                             RandomSource random) {
        return delegate.configureFit(round, global, available, random);
    }

    @Override
    public Aggregate aggregateFit(int round, ModelState global, List<FitResult> results, List<ClientFailure> failures) {
        return delegate.aggregateFit(round, global, results, failures);
    }

    @Override
    public List<EvaluateInstruction> configureEvaluate(int round, ModelState global, List<String> available,
                                                       RandomSource random) {
        return delegate.configureEvaluate(round, global, available, random);
    }

    @Override
    public Map<String, Double> aggregateEvaluate(int round, List<EvaluateResult> results,
                                                 List<ClientFailure> failures) {
        return delegate.aggregateEvaluate(round, results, failures);
    }
}
