package org.fedrec.privacy;

import java.util.Arrays;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * The Rényi orders α (each ≥ 1, or +∞) at which an accountant tracks RDP. ε depends on the grid, so the
 * grids of the reference libraries are reproduced exactly (fractional orders built as
 * {@code 1 + x/10.0} in double precision, as upstream does). Immutable.
 */
public final class OrderGrid {

    /**
     * TF-Privacy's {@code compute_dp_sgd_privacy} grid and this project's default:
     * 1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, then every integer 5…63, then 128, 256, 512
     * (72 orders). Small orders matter for large ε (few steps, little noise), large ones for small ε.
     */
    public static final OrderGrid TF_PRIVACY = of(DoubleStream.concat(
            DoubleStream.of(1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5),
            DoubleStream.concat(IntStream.rangeClosed(5, 63).asDoubleStream(), DoubleStream.of(128, 256, 512)))
            .toArray());

    /** Opacus' default alphas: {@code 1 + x/10.0} for x = 1…99, then 12…63 (151 orders). */
    public static final OrderGrid OPACUS = of(DoubleStream.concat(
            IntStream.rangeClosed(1, 99).mapToDouble(x -> 1 + x / 10.0),
            IntStream.rangeClosed(12, 63).asDoubleStream()).toArray());

    /** Google dp_accounting's default: {@code 1 + x/10.0} for x = 1…99, 11…63, 128, 256, 512, 1024. */
    public static final OrderGrid DP_ACCOUNTING = of(DoubleStream.concat(
            IntStream.rangeClosed(1, 99).mapToDouble(x -> 1 + x / 10.0),
            DoubleStream.concat(IntStream.rangeClosed(11, 63).asDoubleStream(),
                    DoubleStream.of(128, 256, 512, 1024))).toArray());

    /** The grid used when none is given: {@link #TF_PRIVACY}. */
    public static final OrderGrid DEFAULT = TF_PRIVACY;

    private final double[] orders;

    private OrderGrid(double[] orders) {
        this.orders = orders;
    }

    /** A grid of the given orders, in the given order; each must be ≥ 1 (+∞ allowed), and at least one. */
    public static OrderGrid of(double... orders) {
        if (orders == null || orders.length == 0) {
            throw new IllegalArgumentException("orders must hold at least one Rényi order, was "
                    + (orders == null ? "null" : "empty"));
        }
        for (int i = 0; i < orders.length; i++) {
            if (!(orders[i] >= 1)) {
                throw new IllegalArgumentException("Rényi order must be >= 1, was orders[" + i + "] = " + orders[i]);
            }
        }
        return new OrderGrid(orders.clone());
    }

    /** Every integer order from {@code from} to {@code to} inclusive. */
    public static OrderGrid integers(int from, int to) {
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("integer orders need 1 <= from <= to, was from=" + from + ", to=" + to);
        }
        return of(IntStream.rangeClosed(from, to).asDoubleStream().toArray());
    }

    public int size() {
        return orders.length;
    }

    public double order(int index) {
        return orders[index];
    }

    /** A copy of the orders. */
    public double[] toArray() {
        return orders.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrderGrid g && Arrays.equals(orders, g.orders);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(orders);
    }

    @Override
    public String toString() {
        return orders.length <= 8 ? "OrderGrid" + Arrays.toString(orders)
                : "OrderGrid[" + orders.length + " orders, " + orders[0] + " … " + orders[orders.length - 1] + "]";
    }
}
