package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NeighbourGraphTest {

    @Test
    void hararyGraphIsKRegularSymmetricAndFixedByItsSeed() {
        NeighbourGraph g = NeighbourGraph.harary(1000, 20, 7);
        assertThat(g.isComplete()).isFalse();
        for (int u = 0; u < 1000; u++) {
            int[] nb = g.neighbours(u);
            assertThat(nb).hasSize(20).doesNotContain(u).doesNotHaveDuplicates().isSorted();
            for (int v : nb) {
                assertThat(g.adjacent(v, u)).isTrue();
                assertThat(g.neighbours(v)).contains(u);
            }
        }
        int edges = 0;
        for (int v = 1; v < 1000; v++) {
            edges += g.adjacent(0, v) ? 1 : 0;
        }
        assertThat(edges).isEqualTo(20);
        assertThat(NeighbourGraph.harary(1000, 20, 7).neighbours(5)).isEqualTo(g.neighbours(5));
        assertThat(NeighbourGraph.harary(1000, 20, 8).neighbours(5)).isNotEqualTo(g.neighbours(5));
    }

    @Test
    void aDegreeOfNMinusOneOrMoreIsTheCompleteGraph() {
        NeighbourGraph g = NeighbourGraph.harary(5, 4, 1);
        assertThat(g.isComplete()).isTrue();
        assertThat(g.neighbours(2)).containsExactly(0, 1, 3, 4);
    }

    @Test
    void oddOrTinyDegreesAreRefused() {
        assertThatThrownBy(() -> NeighbourGraph.harary(100, 7, 1)).hasMessageContaining("even and >= 2, was 7");
        assertThatThrownBy(() -> NeighbourGraph.complete(1)).hasMessageContaining("at least 2 clients, was 1");
        assertThatThrownBy(() -> new RoundSetup(0, Fixtures.ids(100), 12, 10, 32, NeighbourGraph.harary(100, 10, 1)))
                .hasMessageContaining("threshold t must be in [2, 11] (a client and its 10 neighbours), was 12");
    }
}
