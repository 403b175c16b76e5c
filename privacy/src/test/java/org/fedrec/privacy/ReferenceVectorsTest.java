package org.fedrec.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedrec.privacy.Conversion.CLASSIC;
import static org.fedrec.privacy.Conversion.IMPROVED;
import static org.fedrec.privacy.FractionalSeries.ABSOLUTE_UPPER_BOUND;
import static org.fedrec.privacy.FractionalSeries.SIGNED;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every RDP vector of {@code shared/reference/dp_vectors.md}, each at the tolerance the file states
 * ("places n" = |Δ| &lt; ½·10⁻ⁿ, as Python's assertAlmostEqual) and, where the file gives a
 * full-precision check value, at 1e-8 relative against that too. The vector id leads each test name.
 * The PLD vectors (V15's PLD column, V16, V17) run {@link PldAccountant} at dp_accounting's default
 * discretization 1e-4; where an exact value is known (q = 1: {@link AnalyticGaussian}) the PLD must lie
 * above it (pessimistic) and within the stated tolerance.
 */
class ReferenceVectorsTest {

    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double FULL = 1e-8;

    /** A tolerance: relative, or absolute to n decimal places. */
    record Tol(double relative, double absolute, String text) {
        static Tol rel(double r) {
            return new Tol(r, 0, "rtol " + r);
        }

        static Tol places(int n) {
            return new Tol(0, 0.5 * Math.pow(10, -n), "places " + n);
        }

        boolean accepts(double actual, double expected) {
            if (Double.isInfinite(expected)) {
                return actual == expected;
            }
            double diff = Math.abs(actual - expected);
            return relative > 0 ? diff <= relative * Math.abs(expected) : diff < absolute;
        }
    }

    private static Arguments value(String id, Supplier<Double> actual, double expected, Tol tol) {
        return Arguments.of(id + " expects " + expected + " (" + tol.text() + ")", actual, expected, tol);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void reproducesReferenceVector(String name, Supplier<Double> actual, double expected, Tol tol) {
        double got = actual.get();
        assertThat(tol.accepts(got, expected))
                .as("%s: got %s, off by %s (relative %s)", name, got, got - expected, (got - expected) / expected)
                .isTrue();
    }

    static Stream<Arguments> vectors() {
        return Stream.of(v1(), v2to4(), v5(), v6(), v7(), v8(), v9to12(), v13to15(), pld()).flatMap(s -> s);
    }

    // -- RDP values ---------------------------------------------------------------------------------

    private static final OrderGrid V1_ORDERS = OrderGrid.of(1.5, 2.5, 5, 50, 100, INF);

    private static Stream<Arguments> v1() {
        double[] dpa = {6.70579741e-4, 1.08548710e-3, 2.18075656e-3, 2.38460375e-2, 1.67416308e2, INF};
        double[] exact = {6.5007e-4, 1.0854e-3, 2.1808e-3, 2.3846e-2, 1.6742e2, INF};
        Stream.Builder<Arguments> b = Stream.builder();
        for (int k = 0; k < V1_ORDERS.size(); k++) {
            int i = k;
            double a = V1_ORDERS.order(k);
            b.add(value("V1a RDP α=" + a + " dp_accounting abs-series",
                    () -> RdpAccountant.rdp(0.01, 2.5, 50, V1_ORDERS, ABSOLUTE_UPPER_BOUND)[i], dpa[k], Tol.rel(1e-4)));
            b.add(value("V1b RDP α=" + a + " exact signed series",
                    () -> RdpAccountant.rdp(0.01, 2.5, 50, V1_ORDERS, SIGNED)[i], exact[k], Tol.rel(1e-4)));
        }
        b.add(value("V1a RDP α=1.5 full precision", () -> 50 * RdpAccountant.rdp(0.01, 2.5, 1.5, ABSOLUTE_UPPER_BOUND),
                6.705797406684e-4, Tol.rel(1e-9)));
        b.add(value("V1b RDP α=1.5 full precision (mpmath 6.500708972e-4)",
                () -> 50 * RdpAccountant.rdp(0.01, 2.5, 1.5, SIGNED), 6.500708974e-4, Tol.rel(1e-9)));
        return b.build();
    }

    private static Stream<Arguments> v2to4() {
        return Stream.of(
                value("V2 RDP q=0.1 z=2 T=10 α=5", () -> 10 * RdpAccountant.rdp(0.1, 2, 5, SIGNED), 0.07737,
                        Tol.places(5)),
                value("V2 full precision", () -> 10 * RdpAccountant.rdp(0.1, 2, 5, SIGNED), 0.07736968489795838,
                        Tol.rel(FULL)),
                value("V3 RDP q=1 z=10 α=20", () -> RdpAccountant.rdp(1, 10, 20, SIGNED), 0.1, Tol.rel(1e-15)),
                value("V3 RDP q=0", () -> RdpAccountant.rdp(0, 10, 20, SIGNED), 0, Tol.places(15)),
                value("V4 RDP q=1 α=3.14159 σ=2.71828", () -> RdpAccountant.rdp(1, 2.71828, 3.14159, SIGNED),
                        0.21258427222, Tol.rel(1e-10)));
    }

    // -- ε and δ ------------------------------------------------------------------------------------

    private static Arguments eps(String id, Supplier<RdpAccountant> acc, double delta, Conversion c,
            double expected, Tol tol) {
        return value(id + " ε[" + c + "]", () -> acc.get().epsilon(delta, c).epsilon(), expected, tol);
    }

    private static Arguments epsOrder(String id, Supplier<RdpAccountant> acc, double delta, Conversion c,
            double order) {
        return value(id + " optimal α[" + c + "]", () -> acc.get().epsilon(delta, c).order(), order, Tol.rel(1e-12));
    }

    private static Arguments delta(String id, Supplier<RdpAccountant> acc, double epsilon, Conversion c,
            double expected, double order) {
        return value(id + " reverse δ[" + c + "] at α=" + order, () -> {
            EpsilonDelta d = acc.get().delta(epsilon, c);
            return d.order() == order ? d.delta() : Double.NaN;
        }, expected, Tol.rel(1e-3));
    }

    private static Supplier<RdpAccountant> acc(OrderGrid grid, FractionalSeries s, double q, double z, long t) {
        return () -> RdpAccountant.create(grid, s).compose(q, z, t);
    }

    private static Stream<Arguments> v5() {
        Supplier<RdpAccountant> a = acc(OrderGrid.integers(2, 32), SIGNED, 0.01, 4, 10_000);
        return Stream.of(
                eps("V5", a, 1e-5, CLASSIC, 1.258575, Tol.places(5)),
                eps("V5 full precision", a, 1e-5, CLASSIC, 1.2585747412526787, Tol.rel(FULL)),
                epsOrder("V5", a, 1e-5, CLASSIC, 20),
                delta("V5", a, 1.258575, CLASSIC, 1e-5, 20),
                eps("V5 (computed)", a, 1e-5, IMPROVED, 1.0354900660, Tol.rel(FULL)),
                epsOrder("V5 (computed)", a, 1e-5, IMPROVED, 17));
    }

    private static final OrderGrid V6_ORDERS = OrderGrid.of(1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16,
            20, 24, 28, 32, 64, 256);

    private static Stream<Arguments> v6() {
        Supplier<RdpAccountant> exact = () -> RdpAccountant.create(V6_ORDERS, SIGNED)
                .compose(1e-4, 0.4, 40_000).compose(0.1, 2, 100);
        Supplier<RdpAccountant> dpa = () -> RdpAccountant.create(V6_ORDERS, ABSOLUTE_UPPER_BOUND)
                .compose(1e-4, 0.4, 40_000).compose(0.1, 2, 100);
        return Stream.of(
                eps("V6 heterogeneous composition", exact, 1e-5, CLASSIC, 8.509656, Tol.places(5)),
                eps("V6 full precision", exact, 1e-5, CLASSIC, 8.509656046, Tol.rel(FULL)),
                epsOrder("V6", exact, 1e-5, CLASSIC, 2.5),
                eps("V6 dp_accounting abs-series (computed)", dpa, 1e-5, IMPROVED, 7.392152267, Tol.rel(FULL)),
                epsOrder("V6 dp_accounting abs-series (computed)", dpa, 1e-5, IMPROVED, 2.5));
    }

    private static Stream<Arguments> v7() {
        OrderGrid orders = OrderGrid.integers(2, 32);
        double[] rdp = new double[orders.size()];
        Arrays.fill(rdp, 1.1);
        return Stream.of(
                value("V7 pure DP ε[IMPROVED]", () -> RdpAccountant.epsilon(orders, rdp, 1e-5, IMPROVED).epsilon(),
                        1.32783806176, Tol.rel(FULL)),
                value("V7 optimal α[IMPROVED]", () -> RdpAccountant.epsilon(orders, rdp, 1e-5, IMPROVED).order(), 32,
                        Tol.rel(1e-12)),
                value("V7 reverse δ[IMPROVED] at α=32", () -> {
                    EpsilonDelta d = RdpAccountant.delta(orders, rdp, 1.32783806176, IMPROVED);
                    return d.order() == 32 ? d.delta() : Double.NaN;
                }, 1e-5, Tol.rel(1e-3)),
                value("V7 ε[CLASSIC] (computed)", () -> RdpAccountant.epsilon(orders, rdp, 1e-5, CLASSIC).epsilon(),
                        1.47138, Tol.rel(1e-5)));
    }

    private static Stream<Arguments> v8() {
        Supplier<RdpAccountant> a = () -> RdpAccountant.create(
                OrderGrid.of(IntStream.rangeClosed(1000, 99_999).mapToDouble(i -> 0.001 * i).toArray()), SIGNED)
                .compose(1, 4.530877117, 1);
        return Stream.of(
                eps("V8 Gaussian", a, 1e-6, IMPROVED, 1, Tol.places(7)),
                eps("V8 full precision", a, 1e-6, IMPROVED, 1.00000000027, Tol.rel(1e-10)),
                epsOrder("V8", a, 1e-6, IMPROVED, 21.985),
                delta("V8", a, 1, IMPROVED, 1e-6, 21.985));
    }

    private static Stream<Arguments> v9to12() {
        OrderGrid tf = OrderGrid.TF_PRIVACY;
        Supplier<RdpAccountant> v9 = acc(tf, SIGNED, 150 / 60000.0, 1.3, 6000);
        Supplier<RdpAccountant> v10 = acc(tf, SIGNED, 0.001, 1.0, 30_000);
        Supplier<RdpAccountant> v11 = acc(tf, ABSOLUTE_UPPER_BOUND, 1024 / 1e8, 0.1, 976_563);
        Supplier<RdpAccountant> v11exact = acc(tf, SIGNED, 1024 / 1e8, 0.1, 976_563);
        long mnistSteps = (long) Math.ceil(60 * 60000 / 256.0);
        Supplier<RdpAccountant> v12 = acc(tf, SIGNED, 256 / 60000.0, 1.1, mnistSteps);
        Supplier<RdpAccountant> v12b = acc(tf, SIGNED, 256 / 60000.0, 1.12, mnistSteps);
        return Stream.of(
                eps("V9", v9, 1e-5, IMPROVED, 0.7242234026109595, Tol.rel(FULL)),
                epsOrder("V9", v9, 1e-5, IMPROVED, 19),
                eps("V9", v9, 1e-5, CLASSIC, 0.941870567, Tol.rel(FULL)),
                eps("V10", v10, 1e-7, IMPROVED, 1.4154988495444842, Tol.rel(FULL)),
                epsOrder("V10", v10, 1e-7, IMPROVED, 13),
                eps("V10", v10, 1e-7, CLASSIC, 1.70928734, Tol.rel(FULL)),
                eps("V11 dp_accounting abs-series", v11, 1e-7, IMPROVED, 5907982.3113984, Tol.rel(1e-9)),
                epsOrder("V11", v11, 1e-7, IMPROVED, 1.25),
                eps("V11 exact series (value before Apr 2024)", v11exact, 1e-7, IMPROVED, 5907982.31138195,
                        Tol.rel(1e-12)),
                eps("V11", v11exact, 1e-7, CLASSIC, 5907984.81339406, Tol.rel(1e-12)),
                value("V12 MNIST steps", () -> (double) mnistSteps, 14063, Tol.places(9)),
                eps("V12 MNIST", v12, 1e-5, CLASSIC, 3.01, Tol.places(2)),
                eps("V12 full precision", v12, 1e-5, CLASSIC, 3.009211173, Tol.rel(FULL)),
                epsOrder("V12", v12, 1e-5, CLASSIC, 9),
                eps("V12 (computed)", v12, 1e-5, IMPROVED, 2.5970795197, Tol.rel(FULL)),
                epsOrder("V12 (computed)", v12, 1e-5, IMPROVED, 8),
                eps("V12b MNIST z=1.12", v12b, 1e-5, CLASSIC, 2.92, Tol.places(2)),
                eps("V12b full precision", v12b, 1e-5, CLASSIC, 2.922354850, Tol.rel(FULL)),
                epsOrder("V12b", v12b, 1e-5, CLASSIC, 9));
    }

    private static Stream<Arguments> v13to15() {
        Supplier<RdpAccountant> v13 = acc(OrderGrid.OPACUS, SIGNED, 0.04, 1.5, (long) (90 / 0.04));
        Supplier<RdpAccountant> v13dpa = acc(OrderGrid.OPACUS, ABSOLUTE_UPPER_BOUND, 0.04, 1.5, 2250);
        Supplier<RdpAccountant> v14 = () -> RdpAccountant.create(OrderGrid.integers(2, 32), SIGNED)
                .compose(1e-5, 1.0, 10).compose(1e-4, 3.0, 4);
        Stream.Builder<Arguments> b = Stream.builder();
        b.add(eps("V13 Opacus", v13, 1e-5, IMPROVED, 7.32911117143, Tol.places(7)));
        b.add(epsOrder("V13", v13, 1e-5, IMPROVED, 3.9));
        b.add(eps("V13 dp_accounting abs-series (computed)", v13dpa, 1e-5, IMPROVED, 7.3293347024, Tol.rel(FULL)));
        b.add(eps("V14 Opacus doctest", v14, 1e-5, IMPROVED, 0.336, Tol.places(3)));
        b.add(eps("V14 full precision", v14, 1e-5, IMPROVED, 0.33634406339, Tol.rel(FULL)));
        b.add(epsOrder("V14", v14, 1e-5, IMPROVED, 23));
        double[][] v15 = {{1, 0.7, 2, 10.8602036}, {1, 0.35, 2, 26.2880374}, {0.01, 0.7, 120, 3.2392676},
            {0.01, 0.35, 120, 22.6248601}};
        String[] part = {"a", "b", "c", "d"};
        for (int k = 0; k < v15.length; k++) {
            double[] v = v15[k];
            b.add(eps("V15" + part[k] + " dp_accounting q=" + v[0] + " z=" + v[1] + " T=" + (long) v[2],
                    acc(OrderGrid.DP_ACCOUNTING, ABSOLUTE_UPPER_BOUND, v[0], v[1], (long) v[2]), 1e-5, IMPROVED,
                    v[3], Tol.places(7)));
        }
        return b.build();
    }

    // -- PLD ----------------------------------------------------------------------------------------

    private static Stream<Arguments> pld() {
        Stream.Builder<Arguments> b = Stream.builder();
        // V15 PLD column: TF-Privacy's compute_dp_sgd_privacy_test, dp_accounting PLDAccountant (d = 1e-4).
        double[][] v15 = {{1, 0.7, 2, 10.1224946}, {1, 0.35, 2, 24.7160779}, {0.01, 0.7, 120, 2.4612381},
            {0.01, 0.35, 120, 18.6977407}};
        String[] part = {"a", "b", "c", "d"};
        for (int k = 0; k < v15.length; k++) {
            double[] v = v15[k];
            Supplier<PldAccountant> acc = () -> PldAccountant.create().compose(v[0], v[1], (long) v[2]);
            String id = "V15" + part[k] + " PLD q=" + v[0] + " z=" + v[1] + " T=" + (long) v[2];
            b.add(value(id + " ε(δ=1e-5)", () -> acc.get().epsilon(1e-5), v[3], Tol.places(7)));
            if (v[0] == 1) {
                // Exact: T Gaussian steps of noise z are one of noise z/√T (mpmath: 10.122494583907487,
                // 24.716077860091901); the pessimistic PLD is above and, with connect-the-dots, within 1e-8.
                double exact = AnalyticGaussian.epsilon(v[1] / Math.sqrt(v[2]), 1e-5);
                b.add(value(id + " − analytic Gaussian ε, in [0, 1e-8]",
                        () -> inRange(acc.get().epsilon(1e-5) - exact, 0, 1e-8), 0, Tol.places(15)));
            }
        }
        // V16: Gaussian σ = √3 composed 3 times (dp_accounting pld_privacy_accountant_test::test_gaussian_basic).
        Supplier<PldAccountant> v16 = () -> PldAccountant.create().compose(1, Math.sqrt(3), 3);
        b.add(value("V16 PLD δ(ε=1)", () -> v16.get().delta(1), 0.126936, new Tol(0, 1e-3, "±1e-3")));
        b.add(value("V16 PLD δ(ε=1) full precision", () -> v16.get().delta(1), 0.1269367378, Tol.rel(1e-8)));
        b.add(value("V16 PLD δ(ε=1) − exact Φ(−½) − e·Φ(−3/2), in [0, 1e-9]",
                () -> inRange(v16.get().delta(1) - AnalyticGaussian.delta(1, 1), 0, 1e-9), 0, Tol.places(15)));
        b.add(value("V16 PLD ε(δ=0.126936)", () -> v16.get().epsilon(0.126936), 1, new Tol(0, 1e-3, "±1e-3")));
        // V17: Poisson-subsampled Gaussian q = 0.2, σ = 0.5, 3 steps (test_poisson_subsampled_gaussian).
        Supplier<PldAccountant> v17 = () -> PldAccountant.create().compose(0.2, 0.5, 3);
        b.add(value("V17 PLD δ(ε=1)", () -> v17.get().delta(1), 0.15594, new Tol(0, 1e-3, "±1e-3")));
        b.add(value("V17 PLD δ(ε=1) full precision", () -> v17.get().delta(1), 0.1559327762, Tol.rel(1e-8)));
        b.add(value("V17 PLD ε(δ=0.15594)", () -> v17.get().epsilon(0.15594), 1, new Tol(0, 1e-3, "±1e-3")));
        return b.build();
    }

    /** 0 if {@code x} is in [lo, hi], else x itself (so the failure message shows it). */
    private static double inRange(double x, double lo, double hi) {
        return x >= lo && x <= hi ? 0 : x;
    }
}
