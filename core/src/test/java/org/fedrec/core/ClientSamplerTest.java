package org.fedrec.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ClientSamplerTest {

    static final List<String> POPULATION = IntStream.range(0, 100).mapToObj(i -> "c" + i).toList();

    @Test
    void samplesTheRequestedCountDistinctInPopulationOrderAndReproducibly() {
        ClientSampler s = ClientSampler.count(10);
        List<String> a = s.sample(POPULATION, RandomSource.seeded(5).split("r", 1));
        List<String> b = s.sample(POPULATION, RandomSource.seeded(5).split("r", 1));
        List<String> c = s.sample(POPULATION, RandomSource.seeded(5).split("r", 2));
        assertThat(a).hasSize(10).doesNotHaveDuplicates().isEqualTo(b).isNotEqualTo(c);
        List<Integer> idx = new ArrayList<>(a.stream().map(POPULATION::indexOf).toList());
        assertThat(idx).isSorted();
    }

    @Test
    void fractionRoundsUpAndRespectsTheMinimum() {
        assertThat(ClientSampler.fraction(0.015).size(100)).isEqualTo(2);
        assertThat(new ClientSampler(0.01, 0, 5).size(100)).isEqualTo(5);
        assertThat(ClientSampler.count(500).size(100)).isEqualTo(100);
    }

    @Test
    void samplingIsRoughlyUniform() {
        int[] hits = new int[100];
        ClientSampler s = ClientSampler.count(10);
        for (int r = 0; r < 2000; r++) {
            for (String id : s.sample(POPULATION, RandomSource.seeded(1).split("r", r))) {
                hits[POPULATION.indexOf(id)]++;
            }
        }
        // Each client is expected 200 times; a 5-sigma band is about +-67.
        assertThat(IntStream.of(hits).min().getAsInt()).isGreaterThan(130);
        assertThat(IntStream.of(hits).max().getAsInt()).isLessThan(270);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> ClientSampler.fraction(0)).hasMessageContaining("fraction");
        assertThatThrownBy(() -> ClientSampler.count(-1)).hasMessageContaining(">= 0");
    }
}
