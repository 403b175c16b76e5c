package org.fedrec.cli.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedrec.core.Clock;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.RoundRecord;
import org.fedrec.core.RunResult;

/** Round records of a made-up run: evaluation every second round and in the last one; a manual clock. */
final class FakeRun {

    static final class ManualClock implements Clock {
        long nanos = 1_000_000_000L;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public Instant now() {
            return Instant.parse("2026-01-02T03:04:05Z").plusNanos(nanos);
        }

        void advanceSeconds(double s) {
            nanos += (long) (s * 1e9);
        }
    }

    final int rounds;
    final ManualClock clock = new ManualClock();
    final List<RoundRecord> history = new ArrayList<>();
    final List<ModelState> models = new ArrayList<>();

    FakeRun(int rounds) {
        this.rounds = rounds;
    }

    static ModelState model(float value) {
        return new ModelState(Map.of("item_embeddings", FloatTable.copyOf(1, 2, new float[] {value, -value})));
    }

    /** Round r: loss 1/r, HR@10 = 0.1 r, NDCG@10 = 0.05 r on even rounds and the last. */
    RoundRecord record(int r) {
        Map<String, Double> fit = new LinkedHashMap<>();
        fit.put("loss", 1.0 / r);
        fit.put("fit_clients", 10.0);
        Map<String, Double> eval = new LinkedHashMap<>();
        if (r % 2 == 0 || r == rounds) {
            eval.put("HR@10", 0.1 * r);
            eval.put("NDCG@10", 0.05 * r);
            eval.put("evaluate_failures", 0.0);
        }
        return new RoundRecord(r, fit, eval, 250_000_000L * r, eval.isEmpty() ? 0 : 100_000_000L);
    }

    /** Feeds rounds 1..upTo to the listener. */
    void play(org.fedrec.core.RunListener listener, int upTo) {
        if (history.isEmpty()) {
            listener.onRunStart(rounds, model(0));
        }
        for (int r = history.size() + 1; r <= upTo; r++) {
            RoundRecord rec = record(r);
            ModelState m = model(r);
            clock.advanceSeconds(1);
            history.add(rec);
            models.add(m);
            listener.onRoundEnd(rec, m);
        }
    }

    RunResult result(RunResult.Ending ending, int bestRound) {
        return new RunResult(models.get(models.size() - 1), models.get(bestRound - 1), history.get(bestRound - 1),
                history, ending, (long) (history.size() * 1e9));
    }
}
