package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.fedrec.core.RandomSource;
import org.junit.jupiter.api.Test;

class PrivateStatesTest {

    private static PrivateStates states() {
        return new MatrixFactorization(5, 3, 0.1).newPrivateStates(4, RandomSource.seeded(9));
    }

    @Test
    void exportInitialisesAsFirstUseWould() {
        PrivateStates used = states();
        float[] expected = Arrays.copyOfRange(used.data(), used.offset(2), used.offset(2) + 3);

        assertThat(states().export(new int[]{2})).containsExactly(expected);
    }

    @Test
    void restoreRoundTripsExportedSlicesIntoAFreshStore() {
        PrivateStates trained = states();
        trained.data()[trained.offset(3) + 1] = 7f; // a trained value no initialiser would give
        float[] slices = trained.export(new int[]{3, 0});

        PrivateStates fresh = states();
        fresh.restore(new int[]{3, 0}, slices);

        assertThat(fresh.export(new int[]{3, 0})).containsExactly(slices);
        assertThat(fresh.data()[fresh.offset(3) + 1]).isEqualTo(7f);
    }

    @Test
    void restoreRejectsSlicesOfTheWrongLengthAndUnknownUsers() {
        assertThatThrownBy(() -> states().restore(new int[]{1}, new float[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 3 values, found 4");
        assertThatThrownBy(() -> states().restore(new int[]{4}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user 4")
                .hasMessageContaining("of 4 users");
    }
}
