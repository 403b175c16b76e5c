package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdMappingAndCatalogTest {
  @Test
  void integerIdsSortNumerically() {
    IdMapping m = IdMapping.of(List.of("10", "9", "100", "-3"));
    assertThat(m.isNumeric()).isTrue();
    assertThat(m.ids()).containsExactly("-3", "9", "10", "100");
    assertThat(m.index("10")).isEqualTo(2);
    assertThat(m.originalId(3)).isEqualTo("100");
    assertThat(m.size()).isEqualTo(4);
  }

  @Test
  void otherIdsSortLexicographically() {
    IdMapping m = IdMapping.of(List.of("u10", "u9", "7", "a"));
    assertThat(m.isNumeric()).isFalse();
    assertThat(m.ids()).containsExactly("7", "a", "u10", "u9");
  }

  @Test
  void orderDoesNotDependOnInputOrder() {
    assertThat(IdMapping.of(List.of("b", "a", "c")).ids()).isEqualTo(IdMapping.of(List.of("c", "b", "a")).ids());
  }

  @Test
  void rejectsDuplicatesAndExplainsUnknownIds() {
    assertThatThrownBy(() -> IdMapping.of(List.of("1", "2", "1"))).hasMessage("duplicate id '1'");
    IdMapping m = IdMapping.of(List.of("1", "2"));
    assertThat(m.contains("2")).isTrue();
    assertThat(m.contains("3")).isFalse();
    assertThatThrownBy(() -> m.index("3")).hasMessage("unknown id '3' (the mapping holds 2 ids, from '1' to '2')");
  }

  @Test
  void rangeIsTheIdentity() {
    IdMapping m = IdMapping.range(3);
    assertThat(m.ids()).containsExactly("0", "1", "2");
    assertThat(m.index("2")).isEqualTo(2);
  }

  @Test
  void catalogTextJoinsTitleAndCategories() {
    ItemCatalog c = ItemCatalog.of(new String[] {"Toy Story (1995)", "", "Untitled"},
        new int[][] {{1, 0}, {0}, {}}, List.of("Comedy", "Animation"));
    assertThat(c.size()).isEqualTo(3);
    assertThat(c.text(0)).isEqualTo("Toy Story (1995). Animation, Comedy");
    assertThat(c.text(1)).isEqualTo("Comedy");
    assertThat(c.text(2)).isEqualTo("Untitled");
    assertThat(c.categoryOf(0)).isEqualTo(1);
    assertThat(c.categoryOf(2)).isEqualTo(-1);
    assertThat(c.categories(0)).containsExactly("Animation", "Comedy");
    assertThat(c.categoryIndices(0)).containsExactly(1, 0);
    assertThat(c.numCategories()).isEqualTo(2);
  }

  @Test
  void emptyCatalogHasNoCategories() {
    ItemCatalog c = ItemCatalog.empty(2);
    assertThat(c.size()).isEqualTo(2);
    assertThat(c.text(1)).isEmpty();
    assertThat(c.categoryOf(1)).isEqualTo(-1);
    assertThat(c.numCategories()).isZero();
  }

  @Test
  void catalogValidatesCategories() {
    assertThatThrownBy(() -> ItemCatalog.of(new String[] {"a"}, new int[][] {{2}}, List.of("x")))
        .hasMessage("item 0: expected category indices in [0, 1), found 2");
    assertThatThrownBy(() -> ItemCatalog.of(new String[] {"a"}, new int[][] {{0, 0}}, List.of("x")))
        .hasMessage("item 0: category x listed twice");
    assertThatThrownBy(() -> ItemCatalog.of(new String[] {"a"}, new int[][] {}, List.of()))
        .hasMessageContaining("expected one category list per title");
  }
}
