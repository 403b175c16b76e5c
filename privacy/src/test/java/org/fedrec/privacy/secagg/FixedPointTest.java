package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FixedPointTest {

    static final FixedPoint CODEC = new FixedPoint(2.0, 1024, 32);

    @Test
    void valuesAreScaledRoundedAndWrappedIntoZ2k() {
        assertThat(CODEC.encode(0.5, "x")).isEqualTo(512);
        assertThat(CODEC.encode(-0.5, "x")).isEqualTo((1L << 32) - 512);
        assertThat(CODEC.encode(1.0 / 3, "x")).isEqualTo(341); // 341.33 rounds down
        assertThat(CODEC.decode(CODEC.encode(-0.5, "x") + CODEC.encode(0.25, "x") & 0xFFFF_FFFFL)).isEqualTo(-0.25);
    }

    @Test
    void valuesBeyondTheRangeAreClipped() {
        assertThat(CODEC.clips(2.5)).isTrue();
        assertThat(CODEC.encode(2.5, "x")).isEqualTo(2048);
        assertThat(CODEC.encode(-1e9, "x")).isEqualTo((1L << 32) - 2048);
    }

    @Test
    void nonFiniteValuesAreRefusedNamingWhere() {
        assertThatThrownBy(() -> CODEC.encode(Double.NaN, "client c3's entry 17"))
                .hasMessage("client c3's entry 17 is NaN; secure aggregation needs finite values");
    }

    @Test
    void theOverflowBudgetBoundsTheCohort() {
        // 2048 per client: (2^31 - 1) / 2048 = 1048575 clients fit
        assertThat(CODEC.maxClients()).isEqualTo(1_048_575);
        CODEC.requireCapacity(1_048_575);
        assertThatThrownBy(() -> CODEC.requireCapacity(1_048_576))
                .hasMessageContaining("1048576 clients with values in [-2.0, 2.0] at scale 1024.0")
                .hasMessageContaining("wraps in Z_2^32 (at most 1048575 clients fit)");
        assertThat(new FixedPoint(2.0, 1024, 64).maxClients()).isEqualTo(((1L << 63) - 1) / 2048);
    }

    @Test
    void aRangeThatCannotHoldOneClientIsRefused() {
        assertThatThrownBy(() -> new FixedPoint(1.0, 0x1p31, 32)).hasMessageContaining("does not fit in Z_2^32");
    }
}
