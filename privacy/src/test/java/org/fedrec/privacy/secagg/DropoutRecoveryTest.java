package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedrec.core.Clock;
import org.fedrec.privacy.secagg.Message.RevealedShare;
import org.fedrec.privacy.secagg.Message.UnmaskingResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rounds over the complete graph with n = 7, t = 4: every number of dropouts up to n - t = 3 at any stage
 * gives the exact sum of the inputs that were masked; one more aborts before the sum is unmasked, with
 * fewer than t shares of any secret in the server's hands.
 */
class DropoutRecoveryTest {

    static final int N = 7;
    static final int T = 4;
    static final RoundSetup SETUP = RoundSetup.complete(3, Fixtures.ids(N), T, 64, 32);
    static final Map<String, long[]> INPUTS = Fixtures.randomInputs(SETUP, 11);

    /** The clients that sent a masked input when the first {@code dropped} clients drop before {@code stage}. */
    static List<String> contributors(int dropped, Stage stage) {
        return stage == Stage.UNMASKING ? SETUP.clients() : SETUP.clients().subList(dropped, N);
    }

    static Map<String, Stage> firstDropBefore(int count, Stage stage) {
        Map<String, Stage> drops = new HashMap<>();
        for (int i = 0; i < count; i++) {
            drops.put(SETUP.clients().get(i), stage);
        }
        return drops;
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void upToNMinusTDropoutsAtAnyStageGiveTheExactSum(Stage stage) {
        for (int dropped = 0; dropped <= N - T; dropped++) {
            InMemorySecAgg.Outcome out = Fixtures.run(SETUP, INPUTS, firstDropBefore(dropped, stage), 5);
            assertThat(out.aborted()).as("%d dropped before %s", dropped, stage).isFalse();
            assertThat(out.result().contributors()).isEqualTo(contributors(dropped, stage));
            assertThat(out.result().sum()).as("%d dropped before %s", dropped, stage)
                    .isEqualTo(Fixtures.plainSum(SETUP, INPUTS, contributors(dropped, stage)));
        }
    }

    @Test
    void dropoutsSpreadOverEveryStageAreRecovered() {
        Map<String, Stage> drops = Map.of("c1", Stage.SHARE_KEYS, "c4", Stage.MASKED_INPUT, "c6", Stage.UNMASKING);
        InMemorySecAgg.Outcome out = Fixtures.run(SETUP, INPUTS, drops, 6);
        List<String> masked = List.of("c0", "c2", "c3", "c5", "c6");
        assertThat(out.result().contributors()).isEqualTo(masked);
        assertThat(out.result().sum()).isEqualTo(Fixtures.plainSum(SETUP, INPUTS, masked));
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void oneDropoutTooManyAbortsAndRevealsNoSecret(Stage stage) {
        Map<String, Map<Boolean, Integer>> sharesPerSecret = new HashMap<>();
        InMemorySecAgg recorder = new InMemorySecAgg(Clock.system(), false, (sender, bytes) -> {
            if (WireFormat.decode(bytes) instanceof UnmaskingResponse r) {
                count(sharesPerSecret, r.maskKeyShares(), true);
                count(sharesPerSecret, r.selfMaskShares(), false);
            }
        });
        InMemorySecAgg.Outcome out = recorder.run(SETUP, firstDropBefore(N - T + 1, stage),
                id -> Fixtures.clientRandom(5, id), INPUTS::get);

        assertThat(out.aborted()).isTrue();
        assertThat(out.abort().stage()).as("the stage whose close finds too few clients").isEqualTo(stage);
        assertThat(out.abort()).hasMessageContaining("threshold is " + T)
                .hasMessageContaining("round 3 aborted at stage " + out.abort().stage());
        sharesPerSecret.forEach((owner, kinds) -> kinds.forEach((maskKey, count) ->
                assertThat(count).as("%s shares of %s", maskKey ? "mask-key" : "self-mask", owner).isLessThan(T)));
    }

    @Test
    void aRoundInWhichEveryoneDropsBeforeMaskingAbortsInsteadOfReturningAnEmptySum() {
        InMemorySecAgg.Outcome out = Fixtures.run(SETUP, INPUTS, firstDropBefore(N, Stage.MASKED_INPUT), 5);
        assertThat(out.aborted()).isTrue();
        assertThat(out.abort()).hasMessageContaining("none of the 7 clients that shared keys sent a masked input");
    }

    static void count(Map<String, Map<Boolean, Integer>> counts, List<RevealedShare> shares, boolean maskKey) {
        for (RevealedShare s : shares) {
            counts.computeIfAbsent(s.owner(), o -> new LinkedHashMap<>()).merge(maskKey, 1, Integer::sum);
        }
    }

    @Test
    void theServerNeverAsksForBothSecretsOfOneClient() {
        Map<String, Stage> drops = Map.of("c2", Stage.MASKED_INPUT, "c5", Stage.MASKED_INPUT);
        List<UnmaskingResponse> responses = new ArrayList<>();
        InMemorySecAgg.Outcome out = new InMemorySecAgg(Clock.system(), false, (sender, bytes) -> {
            if (WireFormat.decode(bytes) instanceof UnmaskingResponse r) {
                responses.add(r);
            }
        }).run(SETUP, drops, id -> Fixtures.clientRandom(8, id), INPUTS::get);

        assertThat(out.aborted()).isFalse();
        assertThat(responses).hasSize(N - 2);
        Map<String, Map<Boolean, Integer>> kinds = new HashMap<>();
        for (UnmaskingResponse r : responses) {
            count(kinds, r.maskKeyShares(), true);
            count(kinds, r.selfMaskShares(), false);
        }
        kinds.forEach((owner, k) -> assertThat(k).as("kinds of shares of %s revealed", owner).hasSize(1));
        assertThat(kinds.get("c2")).containsOnlyKeys(true);
        assertThat(kinds.get("c0")).containsOnlyKeys(false);
    }
}
