package org.fedrec.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedrec.core.FloatTable;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

class RowOverlayTest {

    /** Row r of a 2-column table holds (r, -r); the 1-column table holds 100 + r. */
    private static FloatTable pairs(int rows) {
        float[] d = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            d[2 * r] = r;
            d[2 * r + 1] = -r;
        }
        return new FloatTable(rows, 2, d);
    }

    private static FloatTable column(int rows) {
        float[] d = new float[rows];
        for (int r = 0; r < rows; r++) {
            d[r] = 100 + r;
        }
        return new FloatTable(rows, 1, d);
    }

    @Test
    void deltaCoversTouchedRowsOnlyInIncreasingOrder() {
        FloatTable emb = pairs(10);
        FloatTable bias = column(10);
        try (RowOverlay o = new RowOverlay(emb, bias)) {
            int s7 = o.slot(7);
            int s2 = o.slot(2);
            int s5 = o.slot(5);
            assertThat(o.slot(7)).isEqualTo(s7);
            assertThat(o.size()).isEqualTo(3);
            assertThat(o.rowOf(s2)).isEqualTo(2);
            assertThat(o.local(0)[s7 * 2 + 1]).isEqualTo(-7f);
            assertThat(o.local(1)[s5]).isEqualTo(105f);
            assertThat(o.global(0, s2, 1)).isEqualTo(-2f);
            o.local(0)[s7 * 2] += 0.5f;
            o.local(0)[s2 * 2 + 1] -= 1f;
            o.local(1)[s2] += 2f;

            TableDelta.SparseRows d = o.delta(0);
            assertThat(d.cols()).isEqualTo(2);
            assertThat(d.rows()).containsExactly(2, 5, 7);
            assertThat(d.values()).containsExactly(0, -1f, 0, 0, 0.5f, 0);
            TableDelta.SparseRows b = o.delta(1);
            assertThat(b.rows()).containsExactly(2, 5, 7);
            assertThat(b.values()).containsExactly(2f, 0, 0);
        }
        assertThat(emb).isEqualTo(pairs(10));
        assertThat(bias).isEqualTo(column(10));
    }

    @Test
    void closeResetsTheThreadIndexForTheNextOverlay() {
        FloatTable emb = pairs(50);
        try (RowOverlay first = new RowOverlay(emb)) {
            first.local(0)[first.slot(3) * 2] = 99f;
            first.slot(40);
        }
        try (RowOverlay next = new RowOverlay(emb)) {
            assertThat(next.size()).isZero();
            int s = next.slot(40);
            assertThat(s).isZero();
            assertThat(next.local(0)[next.slot(3) * 2]).isEqualTo(3f);
            assertThat(next.delta(0).rows()).containsExactly(3, 40);
            assertThat(next.delta(0).values()).containsOnly(0f);
        }
    }

    @Test
    void aSecondOverlayOpenOnTheSameThreadIsIndependent() {
        FloatTable emb = pairs(20);
        FloatTable other = pairs(30);
        try (RowOverlay outer = new RowOverlay(emb)) {
            outer.local(0)[outer.slot(4) * 2] += 1f;
            try (RowOverlay inner = new RowOverlay(other)) {
                inner.local(0)[inner.slot(25) * 2] += 2f;
                inner.slot(4);
                assertThat(inner.delta(0).rows()).containsExactly(4, 25);
                assertThat(inner.local(0)[inner.slot(4) * 2]).isEqualTo(4f);
            }
            outer.slot(9);
            assertThat(outer.delta(0).rows()).containsExactly(4, 9);
            assertThat(outer.delta(0).values()).containsExactly(1f, 0, 0, 0);
        }
        try (RowOverlay after = new RowOverlay(other)) {
            assertThat(after.slot(25)).isZero();
            assertThat(after.delta(0).rows()).containsExactly(25);
        }
    }

    @Test
    void growsPastItsInitialCapacityKeepingValues() {
        FloatTable emb = pairs(1000);
        FloatTable bias = column(1000);
        try (RowOverlay o = new RowOverlay(emb, bias)) {
            for (int r = 999; r >= 0; r -= 3) {
                o.slot(r);
            }
            assertThat(o.size()).isEqualTo(334);
            for (int s = 0; s < o.size(); s++) {
                int r = o.rowOf(s);
                assertThat(o.local(0)[2 * s + 1]).isEqualTo(-r);
                assertThat(o.local(1)[s]).isEqualTo(100f + r);
            }
            TableDelta.SparseRows d = o.delta(1);
            assertThat(d.rows()).hasSize(334).isSorted();
            assertThat(d.values()).containsOnly(0f);
        }
    }

    @Test
    void closingTwiceDoesNotReleaseAnIndexAnotherOverlayHolds() {
        FloatTable emb = pairs(10);
        RowOverlay first = new RowOverlay(emb);
        first.close();
        try (RowOverlay second = new RowOverlay(emb)) {
            second.local(0)[second.slot(6) * 2] = 50f;
            first.close();
            try (RowOverlay third = new RowOverlay(emb)) {
                // With the shared index released by the stray close, third would see second's slot for row 6.
                assertThat(third.slot(2)).isZero();
                assertThat(third.slot(6)).isEqualTo(1);
                assertThat(third.local(0)[third.slot(6) * 2]).isEqualTo(6f);
            }
            assertThat(second.slot(6)).isZero();
            assertThat(second.delta(0).rows()).containsExactly(6);
            assertThat(second.delta(0).values()).containsExactly(44f, 0f);
        }
    }

    @Test
    void tablesMustShareTheirRows() {
        assertThatThrownBy(() -> new RowOverlay(pairs(5), column(6)))
                .hasMessageContaining("same rows").hasMessageContaining("5").hasMessageContaining("6");
        // The failed constructor must not leave the thread's index busy.
        try (RowOverlay o = new RowOverlay(pairs(5))) {
            o.slot(1);
        }
    }
}
