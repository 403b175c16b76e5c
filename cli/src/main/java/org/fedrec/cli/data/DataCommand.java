package org.fedrec.cli.data;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.fedrec.cli.CliException;
import org.fedrec.data.DataFormatException;
import org.fedrec.data.Dataset;
import org.fedrec.data.DatasetFetcher;
import org.fedrec.data.DatasetReaders;
import org.fedrec.data.Interactions;
import org.fedrec.data.ReadOptions;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fedrec data}: download public datasets, and describe a dataset on disk. */
@Command(name = "data", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Downloads public datasets (checksummed) and describes datasets on disk.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Info.class})
public final class DataCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command: fetch or info");
    }

    /** {@code fedrec data fetch NAME}: downloads, verifies and unpacks a MovieLens release. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Downloads a MovieLens release from GroupLens into the cache, checks its SHA-256 and unpacks "
                    + "it; prints the directory. A verified copy already in the cache is used as it is.",
                    "GroupLens' licence applies to the data: research use, no redistribution."})
    static final class Fetch implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "Dataset: ${COMPLETION-CANDIDATES}.",
                completionCandidates = KnownNames.class)
        String name;

        @Option(names = "--cache-dir", paramLabel = "DIR",
                description = "Where datasets are kept (default ~/.cache/fedrec); the dataset lands in DIR/NAME.")
        Path cacheDir;

        /** For tests and mirrors: the directory URL the archives are under. */
        @Option(names = "--base-url", paramLabel = "URL", hidden = true)
        URI baseUrl;

        /** For tests and mirrors: the expected SHA-256 of NAME.zip, replacing the pinned one. */
        @Option(names = "--sha256", paramLabel = "HEX", hidden = true)
        String sha256;

        @Override
        public Integer call() {
            Map<String, String> known = new LinkedHashMap<>(DatasetFetcher.MOVIELENS_SHA256);
            if (sha256 != null) {
                if (!sha256.matches("[0-9a-fA-F]{64}")) {
                    throw new CliException("--sha256: expected 64 hex digits, found '" + sha256 + "'");
                }
                known.put(name, sha256.toLowerCase(Locale.ROOT));
            }
            if (!known.containsKey(name)) {
                throw new CliException("unknown dataset '" + name + "'; fedrec data fetch knows: "
                        + String.join(", ", known.keySet().stream().sorted().toList())
                        + " (other datasets: download them yourself and pass data_dir=DIR)");
            }
            URI base = baseUrl != null ? baseUrl : DatasetFetcher.GROUPLENS;
            DatasetFetcher fetcher = new DatasetFetcher(base, known, HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(30)).followRedirects(HttpClient.Redirect.NORMAL).build());
            Path cache = cacheDir != null ? cacheDir : DatasetFetcher.defaultCacheDir();
            Path dir;
            try {
                dir = fetcher.fetch(name, cache);
            } catch (IOException e) {
                if (unreachable(e)) {
                    throw new CliException("cannot reach " + base + " (" + describe(e) + "): the network seems "
                            + "unreachable. Download " + name + ".zip on a connected machine, unpack it and pass "
                            + "data_dir=DIR (or --data-dir DIR) to simulate and bench", e);
                }
                throw new CliException("could not fetch " + name + ": " + describe(e), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(dir.toAbsolutePath());
            out.println("sha256 " + known.get(name) + " (verified)");
            out.flush();
            return 0;
        }

        /** True when the cause chain says no connection could be made at all. */
        private static boolean unreachable(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConnectException || t instanceof UnknownHostException
                        || t instanceof NoRouteToHostException || t instanceof HttpConnectTimeoutException
                        || t instanceof UnresolvedAddressException) {
                    return true;
                }
            }
            return false;
        }

        private static String describe(Throwable e) {
            return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** Picocli's completion candidates (and the help text's list) for fetch's NAME. */
    static final class KnownNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return DatasetFetcher.MOVIELENS_SHA256.keySet().stream().sorted().iterator();
        }
    }

    /** {@code fedrec data info PATH|NAME}: reads a dataset and summarises it. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Reads a dataset and prints its users, items, interactions, duplicates and reader notes. "
                    + "PATH is a dataset directory (format detected) or a delimited file; NAME a dataset fetched "
                    + "into the cache (e.g. ml-100k).")
    static final class Info implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PATH|NAME", description = "Dataset directory or file, or the name of a fetched dataset.")
        String target;

        @Option(names = "--format", paramLabel = "FORMAT",
                description = "Read as this format instead of detecting it: ${COMPLETION-CANDIDATES}.",
                completionCandidates = Formats.class)
        String format;

        @Option(names = "--cache-dir", paramLabel = "DIR",
                description = "Where fetched datasets are looked up by NAME (default ~/.cache/fedrec).")
        Path cacheDir;

        @Override
        public Integer call() {
            Path path = locate();
            Dataset d;
            try {
                String fmt = format != null ? format : DatasetReaders.detect(path);
                d = DatasetReaders.read(fmt, path, ReadOptions.defaults());
            } catch (DataFormatException | IllegalArgumentException e) {
                throw new CliException(e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw new CliException("cannot read " + path + ": " + e.getCause().getMessage(), e);
            }
            print(spec.commandLine().getOut(), path, d);
            return 0;
        }

        private Path locate() {
            Path path = Path.of(target);
            if (Files.exists(path)) {
                return path;
            }
            Path cache = cacheDir != null ? cacheDir : DatasetFetcher.defaultCacheDir();
            Path fetched = cache.resolve(target);
            if (!target.contains("/") && Files.isDirectory(fetched)) {
                return fetched;
            }
            String hint = DatasetFetcher.MOVIELENS_SHA256.containsKey(target)
                    ? "; fetch it with: fedrec data fetch " + target : "";
            throw new CliException("no dataset at '" + target + "': not a file or directory, and not in the cache "
                    + cache + hint);
        }

        private static void print(PrintWriter out, Path path, Dataset d) {
            Interactions in = d.interactions();
            int[] perUser = in.countsPerUser();
            Arrays.sort(perUser);
            double density = in.numUsers() == 0 || in.numItems() == 0 ? 0
                    : in.size() / ((double) in.numUsers() * in.numItems());
            out.printf(Locale.ROOT, "dataset        %s (format %s)%n", d.name(), d.format());
            out.printf(Locale.ROOT, "path           %s%n", path.toAbsolutePath());
            out.printf(Locale.ROOT, "sha256         %s%n", d.sha256());
            out.printf(Locale.ROOT, "users          %d%n", in.numUsers());
            out.printf(Locale.ROOT, "items          %d%n", in.numItems());
            out.printf(Locale.ROOT, "interactions   %d (density %.4f%%)%n", in.size(), 100 * density);
            if (perUser.length > 0) {
                out.printf(Locale.ROOT, "per user       min %d, median %d, max %d%n", perUser[0],
                        perUser[perUser.length / 2], perUser[perUser.length - 1]);
            }
            out.printf(Locale.ROOT, "values         %s, timestamps %s%n", in.hasValues() ? "yes" : "no",
                    in.hasTimestamps() ? "yes" : "no");
            d.givenSplit().ifPresent(s -> out.printf(Locale.ROOT, "given split    train %d, test %d%n",
                    s.train().size(), s.test().size()));
            out.printf(Locale.ROOT, "duplicates     %s%n", d.duplicates().summary());
            if (d.notes().isEmpty()) {
                out.println("notes          none");
            } else {
                out.println("notes");
                d.notes().forEach(n -> out.println("  - " + n));
            }
            out.flush();
        }
    }

    /** The reader formats, for --format's help and completion. */
    static final class Formats implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return DatasetReaders.FORMATS.iterator();
        }
    }
}
