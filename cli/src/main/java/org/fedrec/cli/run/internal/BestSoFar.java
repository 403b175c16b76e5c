package org.fedrec.cli.run.internal;

import org.fedrec.core.ModelState;
import org.fedrec.core.RoundRecord;
import org.fedrec.core.StoppingRule;

/**
 * The best round seen so far, for the summary and checkpoint of a run that ends before the round loop
 * reports its result. With a stopping rule: the round whose monitored metric was best, as the round loop
 * chooses it. Without one: the latest round that evaluated, or the latest round while none has.
 */
public final class BestSoFar {

    private final StoppingRule rule;
    private RoundRecord record;
    private ModelState model;
    private double value = Double.NaN;

    public BestSoFar(StoppingRule rule) {
        this.rule = rule;
    }

    public void offer(RoundRecord candidate, ModelState candidateModel) {
        if (rule != null) {
            Double v = candidate.evaluateMetrics().get(rule.metric());
            if (v != null && !v.isNaN()) {
                if (Double.isNaN(value) || rule.improves(v, value)) {
                    take(candidate, candidateModel);
                    value = v;
                }
            } else if (Double.isNaN(value)) {
                take(candidate, candidateModel);
            }
        } else if (record == null || candidate.evaluated() || !record.evaluated()) {
            take(candidate, candidateModel);
        }
    }

    private void take(RoundRecord r, ModelState m) {
        record = r;
        model = m;
    }

    /** The best record, or null before the first round. */
    public RoundRecord record() {
        return record;
    }

    /** The model of the best record, or null before the first round. */
    public ModelState model() {
        return model;
    }
}
