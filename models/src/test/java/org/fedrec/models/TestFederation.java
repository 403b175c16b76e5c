package org.fedrec.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.fedrec.core.ClientContext;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.strategy.Aggregation;

/** Plain FedAvg rounds over {@link RecommenderClient}s, in order, for model tests. */
final class TestFederation {

    private TestFederation() {
    }

    /** A client over {@code data} whose evaluation is never used. */
    static RecommenderClient client(String id, RecommenderModel model, ClientData data, PrivateStates states,
                                    TrainSettings defaults) {
        return new RecommenderClient(id, model, data, states, defaults,
                (scorer, users) -> new RecommenderClient.Evaluation(0, Map.of()));
    }

    /** One FedAvg round; {@code inspect} sees every result before aggregation. */
    static ModelState round(ModelState global, List<RecommenderClient> clients, List<String> ids, TrainSettings s,
                            int round, RandomSource random, Consumer<FitResult> inspect) {
        List<FitResult> results = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            String id = ids.get(c);
            FitResult r = clients.get(c).fit(new FitInstruction(id, global, s.toRoundConfig()),
                    new ClientContext(round, random.split("fit", round, id)));
            inspect.accept(r);
            results.add(r);
        }
        return Aggregation.applyDelta(global, Aggregation.weightedMeanDelta(global, results), 1.0);
    }
}
