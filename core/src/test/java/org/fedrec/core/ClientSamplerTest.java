package org.fedrec.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
    void poissonCohortSizesFollowBinomialOfPopulationAndRate() {
        // N = 1000, q = 0.3: size ~ Binomial(1000, 0.3), mean 300, variance 210. Over 2000 rounds the
        // standard error of the mean size is sqrt(210 / 2000) ~ 0.32 and of the variance ~ 210 * sqrt(2 / 1999)
        // ~ 6.6; the bands below are about 4.5 standard errors, so q = 0.29 or 0.31 (mean 290 or 310), or a
        // fixed cohort of 300 (variance 0), fails.
        List<String> population = IntStream.range(0, 1000).mapToObj(i -> "u" + i).toList();
        ClientSampler s = ClientSampler.poisson(0.3);
        int rounds = 2000;
        double sum = 0;
        double sumSq = 0;
        int[] hits = new int[population.size()];
        for (int r = 0; r < rounds; r++) {
            List<String> cohort = s.sample(population, RandomSource.seeded(3).split("sample-fit", r));
            assertThat(cohort).doesNotHaveDuplicates();
            sum += cohort.size();
            sumSq += (double) cohort.size() * cohort.size();
            for (String id : cohort) {
                hits[Integer.parseInt(id.substring(1))]++;
            }
        }
        double mean = sum / rounds;
        double variance = (sumSq - rounds * mean * mean) / (rounds - 1);
        assertThat(mean).isCloseTo(300.0, within(1.5));
        assertThat(variance).isCloseTo(210.0, within(30.0));
        // Each client joins about q * rounds = 600 times (std sqrt(2000 * 0.3 * 0.7) ~ 20.5; 5 sigma ~ 103).
        assertThat(IntStream.of(hits).min().getAsInt()).isGreaterThan(497);
        assertThat(IntStream.of(hits).max().getAsInt()).isLessThan(703);
        assertThat(s.expectedSize(1000)).isEqualTo(300.0);
    }

    @Test
    void poissonSamplingIsReproducibleKeepsOrderAndHasNoFixedSize() {
        ClientSampler s = ClientSampler.poisson(0.2);
        List<String> a = s.sample(POPULATION, RandomSource.seeded(5).split("r", 1));
        assertThat(a).isEqualTo(s.sample(POPULATION, RandomSource.seeded(5).split("r", 1)));
        assertThat(new ArrayList<>(a.stream().map(POPULATION::indexOf).toList())).isSorted();
        assertThat(ClientSampler.poisson(1.0).sample(POPULATION, RandomSource.seeded(5))).isEqualTo(POPULATION);
        assertThatThrownBy(() -> s.size(100)).hasMessageContaining("Poisson").hasMessageContaining("0.2");
        assertThatThrownBy(() -> ClientSampler.poisson(0)).hasMessageContaining("Poisson sampling rate")
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> new ClientSampler(0.5, 10, 1, true)).hasMessageContaining("clients per round 10");
        assertThat(ClientSampler.count(7).expectedSize(100)).isEqualTo(7.0);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> ClientSampler.fraction(0)).hasMessageContaining("fraction");
        assertThatThrownBy(() -> ClientSampler.count(-1)).hasMessageContaining(">= 0");
    }
}
