package org.fedrec.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class UserItemsTest {
    @Test
    void rowsAreSortedAndDeduplicatedWhateverTheInputForm() {
        UserItems rows = UserItems.ofRows(new int[][] {{3, 1, 3}, null, {0}});
        UserItems csr = UserItems.ofCsr(new int[] {0, 3, 3, 4}, new int[] {1, 3, 3, 0});
        UserItems pairs = UserItems.ofPairs(3, new int[] {2, 0, 0, 0}, new int[] {0, 3, 1, 1});
        assertThat(csr).isEqualTo(rows);
        assertThat(pairs).isEqualTo(rows);
        assertThat(rows.itemsOf(0)).containsExactly(1, 3);
        assertThat(rows.count(1)).isZero();
        assertThat(rows.size()).isEqualTo(3);
        assertThat(rows.contains(0, 3)).isTrue();
        assertThat(rows.contains(2, 3)).isFalse();
    }

    @Test
    void csrMayBeAWindowOfLargerArrays() {
        UserItems csr = UserItems.ofCsr(new int[] {1, 2, 4}, new int[] {9, 5, 7, 6, 8});
        assertThat(csr).isEqualTo(UserItems.ofRows(new int[][] {{5}, {6, 7}}));
    }

    @Test
    void unionMergesPerUser() {
        UserItems a = UserItems.ofRows(new int[][] {{1, 4}, {}});
        UserItems b = UserItems.ofRows(new int[][] {{4, 0}, {2}});
        assertThat(UserItems.union(2, List.of(a, b))).isEqualTo(UserItems.ofRows(new int[][] {{0, 1, 4}, {2}}));
        assertThat(UserItems.union(2, List.of())).isEqualTo(UserItems.ofRows(new int[2][0]));
    }

    @Test
    void rejectsBadIndices() {
        assertThatThrownBy(() -> UserItems.ofRows(new int[][] {{}, {2, -1}}))
                .hasMessage("expected item indices >= 0, found -1 for user 1");
        assertThatThrownBy(() -> UserItems.ofPairs(2, new int[] {0, 2}, new int[] {1, 1}))
                .hasMessage("users[1]: expected a user index in [0, 2), found 2");
        assertThatThrownBy(() -> UserItems.ofCsr(new int[] {0, 3, 2}, new int[] {1, 2, 3}))
                .hasMessage("offsets: expected non-decreasing offsets within [0, 3], found offsets[1]=3, offsets[2]=2");
    }
}
