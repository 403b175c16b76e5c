package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class RecencyWeightingTest {

    @Test
    void latestPairGetsTheFullBoostAndTheExtraVisitsHalvePerHalfLife() {
        RecencyWeighting w = new RecencyWeighting(8, 5);
        assertThat(w.visits(0)).isEqualTo(9);
        assertThat(w.visits(5)).isEqualTo(5);
        assertThat(w.visits(10)).isEqualTo(3);
        assertThat(w.visits(100)).isEqualTo(1);
        assertThat(RecencyWeighting.NONE.visits(0)).isEqualTo(1);
    }

    @Test
    void rejectsNegativeBoostAndNonPositiveHalfLife() {
        assertThatThrownBy(() -> new RecencyWeighting(-1, 5)).hasMessageContaining("recency boost")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new RecencyWeighting(1, 0)).hasMessageContaining("half-life");
    }

    @Test
    void chronologicalClientDataAgesEachItemByItsLatestOccurrence() {
        // user 7 interacted with 30, 10, 20, then 10 again: ages 10 -> 0, 20 -> 1, 30 -> 2.
        ClientData data = ClientData.ofChronological(new int[] {7}, new int[][] {{30, 10, 20, 10}},
                new RecencyWeighting(4, 1));
        assertThat(data.itemsOf(0)).containsExactly(10, 20, 30);
        assertThat(data.visits(0)).isEqualTo(5);
        assertThat(data.visits(1)).isEqualTo(3);
        assertThat(data.visits(2)).isEqualTo(2);
        assertThat(data.visitsPerEpoch()).isEqualTo(10);
        assertThat(data.interactionCount()).as("the FedAvg weight counts interactions, not visits").isEqualTo(3);
    }

    @Test
    void anEpochVisitsEveryPairAsOftenAsItsWeightSays() {
        ClientData data = ClientData.ofChronological(new int[] {0, 1}, new int[][] {{5, 6, 7}, {1, 2}},
                new RecencyWeighting(2, 1));
        Map<String, Integer> seen = new HashMap<>();
        TrainSettings threeEpochs = new TrainSettings(3, 0.05, TrainSettings.Optimizer.SGD, 4, 0, TrainSettings.Loss.BPR,
                0.2, 0);
        TrainingPairs.Progress progress = TrainingPairs.runEpochs(data, threeEpochs, 10, new SplittableRandom(1),
                (user, item, virtual, r) -> {
            seen.merge(user + ":" + item, 1, Integer::sum);
            return 0;
        });
        assertThat(progress.steps()).isEqualTo(3 * data.visitsPerEpoch());
        // visits: age 0 -> 3, age 1 -> 2, age 2 -> 2 (1 + round(0.5), half rounds up); times 3 epochs.
        assertThat(seen).containsEntry("0:7", 9).containsEntry("0:6", 6).containsEntry("0:5", 6)
                .containsEntry("1:2", 9).containsEntry("1:1", 6);
    }

    @Test
    void plainClientDataVisitsEachPairOnce() {
        ClientData data = ClientData.of(new int[] {0}, new int[][] {{3, 1, 2}});
        assertThat(data.visitsPerEpoch()).isEqualTo(3);
        assertThat(data.visits(2)).isEqualTo(1);
    }
}
