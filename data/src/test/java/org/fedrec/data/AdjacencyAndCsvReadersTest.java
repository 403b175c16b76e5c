package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdjacencyAndCsvReadersTest {
  @TempDir
  Path dir;

  @Test
  void adjacencyKeepsIdsAsIndicesAndGivesTheSplit() {
    Path train = TestFiles.write(dir, "train.txt", "0 0 1 2\n1 2 3\n3\n");
    Path test = TestFiles.write(dir, "test.txt", "0 3\n1 0 1\n");
    Dataset d = DatasetReaders.read("adjacency", dir, ReadOptions.defaults());
    assertThat(d.interactions().numUsers()).isEqualTo(4);
    assertThat(d.interactions().numItems()).isEqualTo(4);
    assertThat(d.users().originalId(3)).isEqualTo("3");
    assertThat(d.interactions().hasValues()).isFalse();
    assertThat(d.interactions().hasTimestamps()).isFalse();
    Split s = new GivenSplit().split(d);
    assertThat(s.train().usersArray()).containsExactly(0, 0, 0, 1, 1);
    assertThat(s.train().itemsArray()).containsExactly(0, 1, 2, 2, 3);
    assertThat(s.test().usersArray()).containsExactly(0, 1, 1);
    assertThat(s.test().itemsArray()).containsExactly(3, 0, 1);
    assertThat(s.validation().size()).isZero();
    assertThat(d.sha256()).isEqualTo(TestFiles.sha256(train, test));
    assertThat(d.notes()).containsExactly(
        "1 user index(es) below the largest never occur; they are kept as users without interactions so that indices equal the files' ids");
  }

  @Test
  void adjacencyRejectsNonNumericIds() {
    TestFiles.write(dir, "train.txt", "0 0 1\n1 x\n");
    TestFiles.write(dir, "test.txt", "0 2\n");
    assertThatThrownBy(() -> DatasetReaders.read("adjacency", dir, ReadOptions.defaults()))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("train.txt:2: field 2 (item): expected an integer, found \"x\"");
    TestFiles.write(dir, "train.txt", "0 0 -1\n");
    assertThatThrownBy(() -> DatasetReaders.read("adjacency", dir, ReadOptions.defaults()))
        .hasMessage("train.txt:1: field 3 (item): expected a non-negative integer below 2^31-1, found \"-1\"");
  }

  @Test
  void adjacencyDuplicateAcrossTrainAndTestKeepsTheTestRowByDefault() {
    TestFiles.write(dir, "train.txt", "0 0 1\n");
    TestFiles.write(dir, "test.txt", "0 1\n");
    Dataset d = DatasetReaders.read("adjacency", dir, ReadOptions.defaults());
    Split s = d.givenSplit().orElseThrow();
    assertThat(s.train().itemsArray()).containsExactly(0);
    assertThat(s.test().itemsArray()).containsExactly(1);
    assertThat(d.duplicates().examples()).extracting(Object::toString).containsExactly("test.txt:1 repeats train.txt:1 (user 0, item 1)");
  }

  @Test
  void csvWithDefaultColumnsAndDetectedComma() {
    Path f = TestFiles.write(dir, "clicks.csv", "user,item,rating,timestamp\nalice,i9,1,10\nbob,i10,0,11\nalice,i10,1,12\n");
    Dataset d = DatasetReaders.read("csv", f, ReadOptions.defaults());
    assertThat(d.name()).isEqualTo("clicks");
    assertThat(d.users().ids()).containsExactly("alice", "bob");
    assertThat(d.items().ids()).containsExactly("i10", "i9");
    assertThat(d.interactions().itemsArray()).containsExactly(1, 0, 0);
    assertThat(d.interactions().valuesArray()).containsExactly(1f, 0f, 1f);
    assertThat(d.interactions().timestampsArray()).containsExactly(10L, 11L, 12L);
    assertThat(d.catalog().size()).isEqualTo(2);
    assertThat(d.notes()).isEmpty();
  }

  @Test
  void csvDetectsTabsAndMapsOtherColumnNames() {
    Path f = TestFiles.write(dir, "log.tsv", "ts\tuid\tiid\tclick\textra\n5\t2\t30\t1\tq, r\n6\t10\t30\t0\tz\n");
    ReadOptions o = ReadOptions.defaults().withColumns(ColumnMapping.of("uid", "iid", "click", "ts"));
    Dataset d = DatasetReaders.read("csv", f, o);
    assertThat(d.users().ids()).containsExactly("2", "10");
    assertThat(d.interactions().usersArray()).containsExactly(0, 1);
    assertThat(d.interactions().valuesArray()).containsExactly(1f, 0f);
    assertThat(d.interactions().timestampsArray()).containsExactly(5L, 6L);
  }

  @Test
  void csvOptionalColumnsThatAreMissingAreNoted() {
    Path f = TestFiles.write(dir, "pairs.csv", "user;item\n1;2\n");
    Dataset d = DatasetReaders.read("csv", f, ReadOptions.defaults());
    assertThat(d.interactions().hasValues()).isFalse();
    assertThat(d.interactions().hasTimestamps()).isFalse();
    assertThat(d.notes()).containsExactly("pairs.csv: no value column 'rating': values absent",
        "pairs.csv: no timestamp column 'timestamp': timestamps absent");
  }

  @Test
  void csvRequiredColumnsThatAreMissingAreErrors() {
    Path f = TestFiles.write(dir, "pairs.csv", "uid,item\n1,2\n");
    assertThatThrownBy(() -> DatasetReaders.read("csv", f, ReadOptions.defaults()))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("pairs.csv:1: no user column 'user' in the header; found columns: uid, item");
    Path g = TestFiles.write(dir, "g.csv", "user,item\n1,2\n");
    assertThatThrownBy(() -> DatasetReaders.read("csv", g, ReadOptions.defaults().withColumns(ColumnMapping.of("user", "item", "stars", null))))
        .hasMessage("g.csv:1: no value column 'stars' in the header; found columns: user, item");
  }

  @Test
  void csvRowErrorsNameLineAndField() {
    Path f = TestFiles.write(dir, "r.csv", "user,item,rating\n1,2,5\n1,3\n");
    assertThatThrownBy(() -> DatasetReaders.read("csv", f, ReadOptions.defaults()))
        .hasMessage("r.csv:3: expected 3 comma-separated fields (as in the header: user, item, rating), found 2");
    Path g = TestFiles.write(dir, "g.csv", "user,item,rating\n1,2,five\n");
    assertThatThrownBy(() -> DatasetReaders.read("csv", g, ReadOptions.defaults()))
        .hasMessage("g.csv:2: field 3 (rating): expected a number, found \"five\"");
    Path h = TestFiles.write(dir, "h.csv", "user,item\n,2\n");
    assertThatThrownBy(() -> DatasetReaders.read("csv", h, ReadOptions.defaults()))
        .hasMessage("h.csv:2: field 1 (user): expected an id, found an empty field");
    Path e = TestFiles.write(dir, "e.csv", "");
    assertThatThrownBy(() -> DatasetReaders.read("csv", e, ReadOptions.defaults()))
        .hasMessage("e.csv: empty file: expected a header row");
    Path one = TestFiles.write(dir, "one.csv", "user\n1\n");
    assertThatThrownBy(() -> DatasetReaders.read("csv", one, ReadOptions.defaults()))
        .hasMessage("one.csv:1: cannot detect the delimiter: expected a tab, comma, semicolon or '|' between the header's "
            + "column names, found \"user\" (set ReadOptions.withDelimiter)");
  }

  @Test
  void csvGivenDelimiterTestFileAndItemText() {
    Path train = TestFiles.write(dir, "train.csv", "user|item|rating\n1|a|4\n2|b|3\n");
    Path test = TestFiles.write(dir, "test.csv", "item|user|rating\nb|1|5\n");
    Path items = TestFiles.write(dir, "items.csv", "item|title|categories\na|\"Espresso grinder | burr\"|Coffee\nb|Yoga mat|Yoga\nc|Unused|\n");
    ReadOptions o = ReadOptions.defaults().withDelimiter('|').withTestFile(test).withItemFile(items, ItemTextColumns.of("item", "title", "categories", ","));
    Dataset d = DatasetReaders.read("csv", train, o);
    Split s = d.givenSplit().orElseThrow();
    assertThat(s.train().size()).isEqualTo(2);
    assertThat(s.test().usersArray()).containsExactly(0);
    assertThat(s.test().itemsArray()).containsExactly(1);
    assertThat(d.catalog().title(0)).isEqualTo("Espresso grinder | burr");
    assertThat(d.catalog().categories(0)).containsExactly("Coffee");
    assertThat(d.sha256()).isEqualTo(TestFiles.sha256(train, test, items));
    assertThat(d.notes()).containsExactly("train.csv: no timestamp column 'timestamp': timestamps absent",
        "items.csv: 1 catalogue item(s) have no interaction and are not indexed");
  }

  @Test
  void csvItemTextWithCategories() {
    Path data = TestFiles.write(dir, "data.csv", "user,item\nu1,10\nu1,20\n");
    Path items = TestFiles.write(dir, "items.tsv", "id\tname\ttopics\n10\tTrail running shoe\tRunning|Outdoor\n20\tTeapot\tTea\n");
    ReadOptions o = ReadOptions.defaults().withItemFile(items, ItemTextColumns.of("id", "name", "topics", "|"));
    Dataset d = DatasetReaders.read("csv", data, o);
    assertThat(d.catalog().categoryNames()).containsExactly("Outdoor", "Running", "Tea");
    assertThat(d.catalog().text(0)).isEqualTo("Trail running shoe. Running, Outdoor");
    assertThat(d.catalog().categoryOf(1)).isEqualTo(2);
    Path bad = TestFiles.write(dir, "bad.tsv", "id\tname\n10\tx\n10\ty\n");
    assertThatThrownBy(() -> DatasetReaders.read("csv", data, ReadOptions.defaults().withItemFile(bad, ItemTextColumns.of("id", "name", null, "|"))))
        .hasMessage("bad.tsv:3: item id 10 is already defined at line 2");
  }

  @Test
  void detectRecognisesEachLayout() {
    assertThat(DatasetReaders.detect(TestFiles.write(dir, "f.csv", "user,item\n"))).isEqualTo("csv");
    TestFiles.write(dir.resolve("a"), "u.data", "x");
    TestFiles.write(dir.resolve("b"), "ratings.dat", "x");
    TestFiles.write(dir.resolve("c"), "ratings.csv", "x");
    TestFiles.write(dir.resolve("c"), "movies.csv", "x");
    TestFiles.write(dir.resolve("d"), "train.txt", "x");
    TestFiles.write(dir.resolve("d"), "test.txt", "x");
    assertThat(DatasetReaders.detect(dir.resolve("a"))).isEqualTo("ml-100k");
    assertThat(DatasetReaders.detect(dir.resolve("b"))).isEqualTo("ml-1m");
    assertThat(DatasetReaders.detect(dir.resolve("c"))).isEqualTo("ml-20m");
    assertThat(DatasetReaders.detect(dir.resolve("d"))).isEqualTo("adjacency");
    TestFiles.write(dir.resolve("e"), "train.txt", "x");
    assertThatThrownBy(() -> DatasetReaders.detect(dir.resolve("e")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("e: cannot detect the dataset layout: looked for u.data (ml-100k), ratings.dat (ml-1m, ml-10m), ratings.csv "
            + "and movies.csv (ml-20m, ml-25m), train.txt and test.txt (adjacency); found train.txt");
  }

  @Test
  void readRejectsUnknownFormatsAndMisplacedOptions() {
    assertThatThrownBy(() -> DatasetReaders.read("ml-32m", dir, ReadOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown dataset format 'ml-32m'; known formats: ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, adjacency, csv");
    assertThatThrownBy(() -> DatasetReaders.read("ml-100k", dir, ReadOptions.defaults().withDelimiter(',')))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apply only to format csv, not ml-100k");
    assertThatThrownBy(() -> new GivenSplit().split(DatasetReaders.read(TestFiles.write(dir, "x.csv", "user,item\n1,2\n"))))
        .hasMessageContaining("dataset 'x' (format csv) has no given split");
  }
}
