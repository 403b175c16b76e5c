package org.fedrec.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The throughput ratio of {@link TextEncoderBenchmark}'s encoder to the raw ONNX Runtime session, measured
 * in interleaved pairs: on a shared machine a neighbour's load comes and goes within seconds, and JMH,
 * which runs one benchmark after the other, then compares the two under different loads. Each round times
 * one operation (all {@value TextEncoderBenchmark#TEXTS} texts) of each, alternating which goes first, and
 * the median of the per-round ratios is reported with the medians of the texts per second.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar org.fedrec.bench.TextEncoderRatio [ROUNDS [BATCH [THREADS]]]}
 * with {@code ORT_DISABLE_TELEMETRY=1} and {@code -Dai.djl.offline=true}.
 */
public final class TextEncoderRatio {

    private TextEncoderRatio() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        TextEncoderBenchmark bench = new TextEncoderBenchmark();
        bench.batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        bench.threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        bench.setUp();
        try {
            for (int i = 0; i < 5; i++) {
                bench.encoder();
                bench.rawPretokenized();
                bench.rawFromText();
            }
            double[] encoder = new double[rounds];
            double[] pretokenized = new double[rounds];
            double[] fromText = new double[rounds];
            double[] ratioPretokenized = new double[rounds];
            double[] ratioFromText = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    encoder[r] = textsPerSecond(bench::encoder);
                    pretokenized[r] = textsPerSecond(bench::rawPretokenized);
                    fromText[r] = textsPerSecond(bench::rawFromText);
                } else {
                    fromText[r] = textsPerSecond(bench::rawFromText);
                    pretokenized[r] = textsPerSecond(bench::rawPretokenized);
                    encoder[r] = textsPerSecond(bench::encoder);
                }
                ratioPretokenized[r] = encoder[r] / pretokenized[r];
                ratioFromText[r] = encoder[r] / fromText[r];
            }
            System.out.printf(Locale.ROOT, "all-MiniLM-L6-v2, %d texts, batch %d, %d thread(s), %d interleaved rounds%n",
                    TextEncoderBenchmark.TEXTS, bench.batchSize, bench.threads, rounds);
            System.out.printf(Locale.ROOT, "texts/s (median): encoder %.1f, raw pre-tokenised %.1f, raw from text %.1f%n",
                    median(encoder), median(pretokenized), median(fromText));
            System.out.printf(Locale.ROOT, "encoder / raw pre-tokenised: %.3f (median of rounds; quartiles %.3f-%.3f)%n",
                    median(ratioPretokenized), quantile(ratioPretokenized, 0.25), quantile(ratioPretokenized, 0.75));
            System.out.printf(Locale.ROOT, "encoder / raw from text:     %.3f (median of rounds; quartiles %.3f-%.3f)%n",
                    median(ratioFromText), quantile(ratioFromText, 0.25), quantile(ratioFromText, 0.75));
        } finally {
            bench.tearDown();
        }
    }

    @FunctionalInterface
    private interface Operation {
        Object run() throws Exception;
    }

    private static double textsPerSecond(Operation op) throws Exception {
        long start = System.nanoTime();
        op.run();
        return TextEncoderBenchmark.TEXTS / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] values) {
        return quantile(values, 0.5);
    }

    private static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double at = q * (sorted.length - 1);
        int lo = (int) Math.floor(at);
        int hi = (int) Math.ceil(at);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
    }
}
