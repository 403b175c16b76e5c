package org.fedrec.core.strategy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.Strategy;

/**
 * A strategy that wraps another and changes only some of its hooks (the server half of a privacy,
 * robustness or compression mechanism). Every hook forwards to the wrapped strategy until a subclass
 * overrides it; most decorators override {@link #aggregateFit} and leave evaluation alone.
 */
public abstract class StrategyDecorator implements Strategy {

    private final Strategy delegate;

    protected StrategyDecorator(Strategy delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped strategy. */
    protected final Strategy delegate() {
        return delegate;
    }

    @Override
    public List<FitInstruction> configureFit(int round, ModelState global, List<String> available,
                                             RandomSource random) {
        return delegate.configureFit(round, global, available, random);
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
