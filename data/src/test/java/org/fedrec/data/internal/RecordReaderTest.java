package org.fedrec.data.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedrec.data.DataFormatException;
import org.junit.jupiter.api.Test;

class RecordReaderTest {
  private static RecordReader reader(String text, RecordReader.Mode mode, String delimiter) {
    return new RecordReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Path.of("f.txt"), mode, delimiter);
  }

  /** Every record as "line:field|field|...". */
  private static List<String> records(String text, RecordReader.Mode mode, String delimiter) throws IOException {
    List<String> out = new ArrayList<>();
    try (RecordReader r = reader(text, mode, delimiter)) {
      while (r.next()) {
        List<String> fields = new ArrayList<>();
        for (int k = 0; k < r.fieldCount(); k++) {
          fields.add(r.string(k));
        }
        out.add(r.line() + ":" + String.join("|", fields));
      }
    }
    return out;
  }

  @Test
  void splitsOnOneOrTwoByteDelimitersAndAnyLineEnd() throws IOException {
    assertThat(records("a\tb\r\nc\t\rd\ne", RecordReader.Mode.PLAIN, "\t")).containsExactly("1:a|b", "2:c|", "3:d", "4:e");
    assertThat(records("1::Star Wars: IV::Sci-Fi\n", RecordReader.Mode.PLAIN, "::"))
        .containsExactly("1:1|Star Wars: IV|Sci-Fi");
  }

  @Test
  void quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws IOException {
    String csv = "id,title\n1,\"American President, The (1995)\"\n2,\"Say \"\"Hi\"\"\"\n3,\"two\nlines\"\n4,x\n";
    assertThat(records(csv, RecordReader.Mode.QUOTED, ",")).containsExactly("1:id|title",
        "2:1|American President, The (1995)", "3:2|Say \"Hi\"", "4:3|two\nlines", "6:4|x");
  }

  @Test
  void plainModeKeepsQuotes() throws IOException {
    assertThat(records("a|\"b|c\"\n", RecordReader.Mode.PLAIN, "|")).containsExactly("1:a|\"b|c\"");
  }

  @Test
  void whitespaceModeCollapsesRuns() throws IOException {
    assertThat(records("  0 1  2\t3 \n4\n", RecordReader.Mode.WHITESPACE, " ")).containsExactly("1:0|1|2|3", "2:4");
  }

  @Test
  void skipsByteOrderMarkAndTrailingBlankLines() throws IOException {
    assertThat(records("\uFEFFuser,item\n\n\n", RecordReader.Mode.QUOTED, ",")).containsExactly("1:user|item");
  }

  @Test
  void blankLineInsideDataIsAnError() {
    assertThatThrownBy(() -> records("a\n\nb\n", RecordReader.Mode.PLAIN, ","))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("f.txt:2: blank line inside the data (blank lines are only allowed at the end of the file)");
  }

  @Test
  void unterminatedQuoteIsAnError() {
    assertThatThrownBy(() -> records("a\n\"b,c\nd\n", RecordReader.Mode.QUOTED, ","))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("f.txt:2: unterminated quoted field in field 1: expected a closing '\"', found the end of the file");
    assertThatThrownBy(() -> records("\"b\"x,c\n", RecordReader.Mode.QUOTED, ","))
        .hasMessage("f.txt:1: field 1: expected a delimiter or the end of the line after the closing quote, found 'x'");
  }

  @Test
  void parsesNumbersInPlace() throws IOException {
    try (RecordReader r = reader("-12,3.5,+7,.25,1e2,0.1\n", RecordReader.Mode.PLAIN, ",")) {
      assertThat(r.next()).isTrue();
      assertThat(r.parseLong(0, "a")).isEqualTo(-12L);
      assertThat(r.parseFloat(1, "b")).isEqualTo(3.5f);
      assertThat(r.parseLong(2, "c")).isEqualTo(7L);
      assertThat(r.parseFloat(3, "d")).isEqualTo(0.25f);
      assertThat(r.parseFloat(4, "e")).isEqualTo(100f);
      assertThat(r.parseFloat(5, "f")).isEqualTo(0.1f);
    }
  }

  @Test
  void numberErrorsNameLineFieldAndText() throws IOException {
    try (RecordReader r = reader("x\n7,abc,,NaN,99999999999999999999\n", RecordReader.Mode.PLAIN, ",")) {
      r.next();
      r.next();
      assertThatThrownBy(() -> r.parseLong(1, "item")).isInstanceOf(DataFormatException.class)
          .hasMessage("f.txt:2: field 2 (item): expected an integer, found \"abc\"");
      assertThatThrownBy(() -> r.parseFloat(2, "rating"))
          .hasMessage("f.txt:2: field 3 (rating): expected a number, found an empty field");
      assertThatThrownBy(() -> r.parseFloat(3, "rating"))
          .hasMessage("f.txt:2: field 4 (rating): expected a finite number, found \"NaN\"");
      assertThatThrownBy(() -> r.parseLong(4, "ts"))
          .hasMessage("f.txt:2: field 5 (ts): expected an integer that fits in 64 bits, found \"99999999999999999999\"");
      assertThat(r.parseIndex(0, "user")).isEqualTo(7);
      assertThatThrownBy(() -> r.expectFields(4, "comma-separated fields (a, b, c, d)"))
          .hasMessage("f.txt:2: expected 4 comma-separated fields (a, b, c, d), found 5");
    }
  }

  @Test
  void longLinesAcrossBufferBoundaries() throws IOException {
    StringBuilder sb = new StringBuilder("0");
    for (int i = 1; i <= 30_000; i++) {
      sb.append(' ').append(i);
    }
    sb.append("\n1 2\n");
    try (RecordReader r = reader(sb.toString(), RecordReader.Mode.WHITESPACE, " ")) {
      assertThat(r.next()).isTrue();
      assertThat(r.fieldCount()).isEqualTo(30_001);
      assertThat(r.parseLong(30_000, "item")).isEqualTo(30_000L);
      assertThat(r.next()).isTrue();
      assertThat(r.line()).isEqualTo(2);
      assertThat(r.next()).isFalse();
    }
  }
}
