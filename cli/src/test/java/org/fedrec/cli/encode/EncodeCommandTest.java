package org.fedrec.cli.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.fedrec.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedrec encode} on a generated MovieLens-100K-shaped directory, with the real MiniLM model. */
class EncodeCommandTest {

    private static final String U_DATA = "1\t10\t4\t100\n1\t20\t3\t110\n2\t10\t5\t150\n3\t30\t2\t160\n";

    @TempDir
    Path tmp;

    private final CliRun cli = new CliRun();

    /** A u.item line whose genre flags mark Animation (3) and Comedy (5) for {@code comedy}, else Drama (8). */
    private static String item(int id, String title, boolean comedy) {
        String flags = comedy ? "0|0|0|1|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0" : "0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0";
        return id + "|" + title + "|01-Jan-1995||http://x|" + flags + "\n";
    }

    private Path dataset(String secondTitle) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ml"));
        Files.writeString(dir.resolve("u.data"), U_DATA, StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("u.item"), item(10, "Toy Story (1995)", true) + item(20, secondTitle, false)
                + item(30, "Heat (1995)", false), StandardCharsets.ISO_8859_1);
        return dir;
    }

    @Test
    void encodesTheCatalogOnceThenReadsTheCacheAndReencodesAChangedTitle() throws Exception {
        Path data = dataset("Babe (1995)");
        Path cache = tmp.resolve("cache");
        String[] args = {"encode", "--data-dir", data.toString(), "--cache-dir", cache.toString(), "--threads", "2"};

        assertThat(cli.execute(args)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("dataset ml (format ml-100k): 3 items, 3 distinct texts")
                .contains("model all-MiniLM-L6-v2-").contains("dimension 384")
                .contains("encoded 3 text(s)").contains("; 0 read from the cache").contains("(3 texts)");
        assertThat(cli.err()).containsPattern("encoding 3/3 items \\(100%\\), [0-9.]+ items/s");

        cli.clear();
        assertThat(cli.execute(args)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("encoded 0 text(s)").contains("; 3 read from the cache");

        dataset("Babe: Pig in the City (1998)");
        cli.clear();
        assertThat(cli.execute(args)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("encoded 1 text(s)").contains("; 2 read from the cache").contains("(4 texts)");
    }

    @Test
    void badEncoderOptionsAreUserErrors() throws Exception {
        Path data = dataset("Babe (1995)");
        assertThat(cli.execute("encode", "--data-dir", data.toString(), "--model", "gpt-7")).isEqualTo(2);
        assertThat(cli.err()).contains("--model: unknown text encoder 'gpt-7'");

        cli.clear();
        assertThat(cli.execute("encode", "--data-dir", data.toString(), "--onnx", tmp.resolve("m.onnx").toString()))
                .isEqualTo(2);
        assertThat(cli.err()).contains("needs --tokenizer FILE");

        cli.clear();
        Path tokenizer = Files.writeString(tmp.resolve("tokenizer.json"), "{}");
        assertThat(cli.execute("encode", "--data-dir", data.toString(), "--onnx", tmp.resolve("m.onnx").toString(),
                "--tokenizer", tokenizer.toString(), "--pooling", "mean")).isEqualTo(2);
        assertThat(cli.err()).contains("ONNX model file " + tmp.resolve("m.onnx") + " does not exist");
    }

    /** The real MovieLens 100K through FEDREC_DATA (never copied); 18 of its 1,682 texts are repeats. */
    @Test
    void encodesTheRealMovieLens100kCatalog() {
        String root = System.getenv("FEDREC_DATA");
        assumeTrue(root != null && Files.isRegularFile(Path.of(root, "ml-100k", "u.item")), "FEDREC_DATA is not set or "
                + "holds no ml-100k/: skipping the real ml-100k (set it to the directory that holds ml-100k/, e.g. "
                + "FEDREC_DATA=/work/shared/data)");
        String[] args = {"encode", "--dataset", "ml-100k", "--data-dir", Path.of(root, "ml-100k").toString(),
            "--cache-dir", tmp.toString()};
        assertThat(cli.execute(args)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("1682 items, 1664 distinct texts").contains("encoded 1664 text(s)");
        cli.clear();
        assertThat(cli.execute(args)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("encoded 0 text(s)").contains("; 1664 read from the cache");
    }
}
