package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.fedrec.data.internal.MovieLensReaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensReadersTest {
  @TempDir
  Path dir;

  private static final String U_DATA = "1\t10\t4\t100\n1\t20\t3\t200\n2\t10\t5\t150\n10\t30\t2\t120\n";
  private static final String U_GENRE = "unknown|0\nAction|1\nComedy|2\n\n";
  private static final String U_ITEM = "10|Alpha (1995)|01-Jan-1995||http://x|0|1|0\n"
      + "20|Beta (1996)|01-Jan-1996||http://x|0|1|1\n"
      + "30|Gamma|||http://x|1|0|0\n"
      + "40|Unrated|||http://x|0|0|1\n";

  private Dataset read100k() {
    return DatasetReaders.read("ml-100k", dir, ReadOptions.defaults());
  }

  @Test
  void ml100kReadsRatingsCatalogAndChecksum() {
    Path data = TestFiles.write(dir, "u.data", U_DATA);
    Path genre = TestFiles.write(dir, "u.genre", U_GENRE);
    Path item = TestFiles.write(dir, "u.item", U_ITEM, StandardCharsets.ISO_8859_1);
    Dataset d = read100k();

    assertThat(d.format()).isEqualTo("ml-100k");
    assertThat(d.name()).isEqualTo(dir.getFileName().toString());
    assertThat(d.users().ids()).containsExactly("1", "2", "10");
    assertThat(d.items().ids()).containsExactly("10", "20", "30");
    Interactions x = d.interactions();
    assertThat(x.size()).isEqualTo(4);
    assertThat(x.usersArray()).containsExactly(0, 0, 1, 2);
    assertThat(x.itemsArray()).containsExactly(0, 1, 0, 2);
    assertThat(x.valuesArray()).containsExactly(4f, 3f, 5f, 2f);
    assertThat(x.timestampsArray()).containsExactly(100L, 200L, 150L, 120L);

    ItemCatalog c = d.catalog();
    assertThat(c.categoryNames()).containsExactly("unknown", "Action", "Comedy");
    assertThat(c.title(1)).isEqualTo("Beta (1996)");
    assertThat(c.categories(1)).containsExactly("Action", "Comedy");
    assertThat(c.categoryOf(2)).isZero();
    assertThat(c.text(0)).isEqualTo("Alpha (1995). Action");
    assertThat(d.notes()).containsExactly("u.item: 1 catalogue item(s) have no interaction and are not indexed");
    assertThat(d.sha256()).isEqualTo(TestFiles.sha256(data, genre, item));
    assertThat(d.duplicates().found()).isZero();
    assertThat(d.givenSplit()).isEmpty();
  }

  @Test
  void ml100kWithoutGenreFileUsesTheStandardNames() {
    TestFiles.write(dir, "u.data", "1\t1\t4\t100\n");
    TestFiles.write(dir, "u.item", "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n");
    Dataset d = read100k();
    assertThat(d.catalog().categoryNames()).isEqualTo(MovieLensReaders.ML100K_GENRES);
    assertThat(d.catalog().text(0)).isEqualTo("Toy Story (1995). Animation, Children's, Comedy");
    assertThat(d.notes()).contains("u.genre not found: using the 19 standard ml-100k genre names");
  }

  @Test
  void ml100kShortLineNamesFileLineAndFields() {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 16; i++) {
      sb.append(i).append('\t').append(10).append('\t').append(3).append('\t').append(100 + i).append('\n');
    }
    sb.append("17\t10\t3\n");
    TestFiles.write(dir, "u.data", sb.toString());
    TestFiles.write(dir, "u.item", U_ITEM);
    TestFiles.write(dir, "u.genre", U_GENRE);
    assertThatThrownBy(this::read100k).isInstanceOfSatisfying(DataFormatException.class, e -> {
      assertThat(e.getMessage()).isEqualTo("u.data:17: expected 4 tab-separated fields (user, item, rating, timestamp), found 3");
      assertThat(e.file()).isEqualTo(dir.resolve("u.data"));
      assertThat(e.line()).isEqualTo(17);
    });
  }

  @Test
  void ml100kNonNumericIdNamesTheField() {
    TestFiles.write(dir, "u.data", "1\t10\t4\t100\n1\tabc\t3\t200\n");
    TestFiles.write(dir, "u.item", U_ITEM);
    TestFiles.write(dir, "u.genre", U_GENRE);
    assertThatThrownBy(this::read100k).isInstanceOf(DataFormatException.class)
        .hasMessage("u.data:2: field 2 (item): expected an integer, found \"abc\"");
  }

  @Test
  void ml100kEmptyOrMissingFilesAreNamed() {
    TestFiles.write(dir, "u.data", "");
    TestFiles.write(dir, "u.item", U_ITEM);
    assertThatThrownBy(this::read100k).isInstanceOf(DataFormatException.class)
        .hasMessage("u.data: empty file: expected ml-100k records");
    TestFiles.write(dir, "u.data", U_DATA);
    TestFiles.write(dir, "u.genre", U_GENRE);
    TestFiles.write(dir, "u.item", "10|Alpha (1995)|01-Jan-1995||http://x|0|2|0\n");
    assertThatThrownBy(this::read100k).isInstanceOf(DataFormatException.class)
        .hasMessage("u.item:1: field 7 (genre Action): expected 0 or 1, found \"2\"");
    TestFiles.write(dir, "u.item", "10|Alpha (1995)|01-Jan-1995||http://x|0|1\n");
    assertThatThrownBy(this::read100k).hasMessage("u.item:1: expected 8 '|'-separated fields (movie id, title, release date, "
        + "video release date, IMDb URL, then 3 genre flags), found 7");
    Path other = dir.resolve("other");
    TestFiles.write(other, "u.data", U_DATA);
    assertThatThrownBy(() -> DatasetReaders.read("ml-100k", other, ReadOptions.defaults()))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("u.item: file not found: format ml-100k expects u.item in " + other);
  }

  @Test
  void ml100kGenreIndicesMustBeAPermutation() {
    TestFiles.write(dir, "u.data", U_DATA);
    TestFiles.write(dir, "u.item", U_ITEM);
    TestFiles.write(dir, "u.genre", "unknown|0\nAction|0\nComedy|2\n");
    assertThatThrownBy(this::read100k)
        .hasMessage("u.genre:2: field 2 (genre index): expected each index 0..2 exactly once, found 0 again");
  }

  private static final String DUPLICATED = "1\t10\t4\t100\n1\t20\t3\t200\n1\t10\t2\t50\n2\t10\t5\t150\n1\t10\t1\t300\n";

  @Test
  void duplicatesKeepLatestByDefaultAndAreReported() {
    TestFiles.write(dir, "u.data", DUPLICATED);
    TestFiles.write(dir, "u.item", U_ITEM);
    TestFiles.write(dir, "u.genre", U_GENRE);
    Dataset d = read100k();
    assertThat(d.interactions().size()).isEqualTo(3);
    // the pair (user 1, item 10) keeps its first position and the latest row (t=300, rating 1)
    assertThat(d.interactions().valuesArray()).containsExactly(1f, 3f, 5f);
    assertThat(d.interactions().timestampsArray()).containsExactly(300L, 200L, 150L);
    DuplicateReport r = d.duplicates();
    assertThat(r.policy()).isEqualTo(DuplicatePolicy.KEEP_LATEST);
    assertThat(r.found()).isEqualTo(2);
    assertThat(r.merged()).isEqualTo(2);
    assertThat(r.examples()).extracting(Object::toString).containsExactly(
        "u.data:3 repeats u.data:1 (user 1, item 10)", "u.data:5 repeats u.data:1 (user 1, item 10)");
    assertThat(r.summary()).isEqualTo("2 duplicate (user, item) rows, 2 merged (KEEP_LATEST); e.g. u.data:3 repeats u.data:1 "
        + "(user 1, item 10)");
  }

  @Test
  void duplicatesCanBeKeptOrRefused() {
    TestFiles.write(dir, "u.data", DUPLICATED);
    TestFiles.write(dir, "u.item", U_ITEM);
    TestFiles.write(dir, "u.genre", U_GENRE);
    Dataset all = DatasetReaders.read("ml-100k", dir, ReadOptions.defaults().withDuplicates(DuplicatePolicy.KEEP_ALL));
    assertThat(all.interactions().size()).isEqualTo(5);
    assertThat(all.duplicates().found()).isEqualTo(2);
    assertThat(all.duplicates().merged()).isZero();
    assertThatThrownBy(() -> DatasetReaders.read("ml-100k", dir, ReadOptions.defaults().withDuplicates(DuplicatePolicy.FAIL)))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("u.data:3: duplicate interaction (user 1, item 10): first seen at u.data:1 (duplicate policy FAIL)");
  }

  @Test
  void ml1mReadsDatFilesInIso88591() {
    Path ratings = TestFiles.write(dir, "ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n");
    Path movies = TestFiles.write(dir, "movies.dat",
        "661::James and the Giant Peach (1996)::Animation|Children's|Musical\n1193::Caf\u00e9 Society: Part 1 (1975)::Drama\n"
            + "5::Unrated (1995)::Comedy\n", StandardCharsets.ISO_8859_1);
    Dataset d = DatasetReaders.read("ml-1m", dir, ReadOptions.defaults());
    assertThat(d.items().ids()).containsExactly("661", "1193");
    assertThat(d.catalog().title(1)).isEqualTo("Caf\u00e9 Society: Part 1 (1975)");
    assertThat(d.catalog().categoryNames()).containsExactly("Animation", "Children's", "Comedy", "Drama", "Musical");
    assertThat(d.catalog().categories(0)).containsExactly("Animation", "Children's", "Musical");
    assertThat(d.interactions().valuesArray()).containsExactly(5f, 3f, 4f);
    assertThat(d.notes()).contains("movies.dat is not valid UTF-8: decoded as ISO-8859-1",
        "movies.dat: 1 catalogue item(s) have no interaction and are not indexed");
    assertThat(d.sha256()).isEqualTo(TestFiles.sha256(ratings, movies));
  }

  @Test
  void ml10mReadsUtf8AndHalfStars() {
    TestFiles.write(dir, "ratings.dat", "1::122::4.5::838985046\n");
    TestFiles.write(dir, "movies.dat", "122::Caf\u00e9 (1992)::Comedy|Romance\n", StandardCharsets.UTF_8);
    Dataset d = DatasetReaders.read("ml-10m", dir, ReadOptions.defaults());
    assertThat(d.format()).isEqualTo("ml-10m");
    assertThat(d.catalog().title(0)).isEqualTo("Caf\u00e9 (1992)");
    assertThat(d.interactions().value(0)).isEqualTo(4.5f);
    assertThat(d.notes()).isEmpty();
  }

  @Test
  void ml1mFieldCountError() {
    TestFiles.write(dir, "ratings.dat", "1::1193::5::978300760\n1::661::3\n");
    TestFiles.write(dir, "movies.dat", "661::Peach::Animation\n");
    assertThatThrownBy(() -> DatasetReaders.read("ml-1m", dir, ReadOptions.defaults()))
        .hasMessage("ratings.dat:2: expected 4 '::'-separated fields (UserID, MovieID, Rating, Timestamp), found 3");
  }

  @Test
  void ml20mReadsQuotedTitles() {
    Path ratings = TestFiles.write(dir, "ratings.csv", "userId,movieId,rating,timestamp\n1,2,3.5,1112486027\n1,11,4.0,1112484676\n");
    Path movies = TestFiles.write(dir, "movies.csv", "movieId,title,genres\n2,Jumanji (1995),Adventure|Children|Fantasy\n"
        + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n"
        + "12,\"Dracula: Dead and \"\"Loving\"\" It (1995)\",(no genres listed)\n");
    Dataset d = DatasetReaders.read("ml-20m", dir, ReadOptions.defaults());
    assertThat(d.catalog().title(1)).isEqualTo("American President, The (1995)");
    assertThat(d.catalog().categories(1)).containsExactly("Comedy", "Drama", "Romance");
    assertThat(d.interactions().valuesArray()).containsExactly(3.5f, 4.0f);
    assertThat(d.sha256()).isEqualTo(TestFiles.sha256(ratings, movies));
    assertThat(d.notes()).contains("movies.csv: 1 movie(s) marked \"(no genres listed)\" have no category");
  }

  @Test
  void ml25mChecksTheHeader() {
    TestFiles.write(dir, "ratings.csv", "user,movie,rating,timestamp\n1,2,3.5,1112486027\n");
    TestFiles.write(dir, "movies.csv", "movieId,title,genres\n2,Jumanji (1995),Adventure\n");
    assertThatThrownBy(() -> DatasetReaders.read("ml-25m", dir, ReadOptions.defaults()))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("ratings.csv:1: expected the header userId,movieId,rating,timestamp, found user,movie,rating,timestamp");
  }

  @Test
  void itemsWithoutCatalogueEntryAreNoted() {
    TestFiles.write(dir, "ratings.csv", "userId,movieId,rating,timestamp\n1,2,3.5,1\n1,99,4,2\n");
    TestFiles.write(dir, "movies.csv", "movieId,title,genres\n2,Jumanji (1995),Adventure\n");
    Dataset d = DatasetReaders.read("ml-20m", dir, ReadOptions.defaults());
    assertThat(d.catalog().title(1)).isEmpty();
    assertThat(d.notes()).containsExactly(
        "movies.csv: 1 item(s) with interactions have no entry and get an empty title and no category, e.g. 99");
  }

  @Test
  void reReadingGivesTheSameIndices() {
    TestFiles.write(dir, "ratings.dat", "5::30::1::1\n3::10::2::2\n4::20::3::3\n");
    TestFiles.write(dir, "movies.dat", "10::a::X\n20::b::X\n30::c::X\n");
    Dataset first = DatasetReaders.read("ml-1m", dir, ReadOptions.defaults());
    TestFiles.write(dir, "ratings.dat", "4::20::3::3\n5::30::1::1\n3::10::2::2\n");
    Dataset second = DatasetReaders.read("ml-1m", dir, ReadOptions.defaults());
    assertThat(first.users().ids()).isEqualTo(second.users().ids()).isEqualTo(List.of("3", "4", "5"));
    assertThat(first.items().ids()).isEqualTo(second.items().ids());
  }
}
