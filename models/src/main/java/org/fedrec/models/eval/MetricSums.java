package org.fedrec.models.eval;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-user metrics summed over a number of evaluated users: the unit a federated client reports, so that
 * the server, by {@link #merge merging} the clients' sums, forms the user-weighted mean over all users
 * ({@link #means()}) exactly as a central evaluation of the same users would (up to the order of
 * floating-point additions). Immutable; metric names keep their given order.
 *
 * <p>To report a client's result as {@code org.fedrec.core.EvaluateResult}, send {@link #count()} as the
 * number of examples and {@link #means()} as the metrics.
 */
public final class MetricSums {
    private final List<String> names;
    private final double[] sums;
    private final long count;

    private MetricSums(List<String> names, double[] sums, long count) {
        this.names = names;
        this.sums = sums;
        this.count = count;
    }

    /** No users yet: every sum 0, count 0. */
    public static MetricSums empty(List<String> names) {
        List<String> checked = checkedNames(names);
        return new MetricSums(checked, new double[checked.size()], 0);
    }

    /** Sums as reported, e.g. by a remote client: {@code sums[i]} belongs to {@code names.get(i)}. */
    public static MetricSums of(List<String> names, double[] sums, long count) {
        List<String> checked = checkedNames(names);
        Objects.requireNonNull(sums, "sums");
        if (sums.length != checked.size()) {
            throw new IllegalArgumentException("expected " + checked.size() + " sums for metrics " + checked
                    + ", found " + sums.length);
        }
        if (count < 0) {
            throw new IllegalArgumentException("expected a user count >= 0, found " + count);
        }
        for (int i = 0; i < sums.length; i++) {
            if (!Double.isFinite(sums[i])) {
                throw new IllegalArgumentException("expected a finite sum for " + checked.get(i) + ", found "
                        + sums[i]);
            }
        }
        return new MetricSums(checked, sums.clone(), count);
    }

    /** Wraps arrays the caller hands over and never touches again. */
    static MetricSums owning(List<String> checkedNames, double[] sums, long count) {
        return new MetricSums(checkedNames, sums, count);
    }

    static List<String> checkedNames(List<String> names) {
        List<String> copy = List.copyOf(names);
        if (new HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("expected distinct metric names, found " + copy);
        }
        return copy;
    }

    /** The metric names, in order. */
    public List<String> names() {
        return names;
    }

    /** The number of evaluated users. */
    public long count() {
        return count;
    }

    /** The sum of one metric over the evaluated users. */
    public double sum(String name) {
        return sums[indexOf(name)];
    }

    /** The sums in the order of {@link #names()} (a copy). */
    public double[] sums() {
        return sums.clone();
    }

    /** The mean of one metric over the evaluated users; NaN if there are none. */
    public double mean(String name) {
        return sums[indexOf(name)] / count;
    }

    /** Each metric's mean over the evaluated users, in the order of {@link #names()}; NaN if there are none. */
    public Map<String, Double> means() {
        Map<String, Double> means = new LinkedHashMap<>();
        for (int i = 0; i < sums.length; i++) {
            means.put(names.get(i), sums[i] / count);
        }
        return Collections.unmodifiableMap(means);
    }

    /** The sums over the users of both; both must hold the same metrics in the same order. */
    public MetricSums merge(MetricSums other) {
        if (!names.equals(other.names)) {
            throw new IllegalArgumentException("cannot merge metrics " + other.names + " into " + names);
        }
        double[] merged = new double[sums.length];
        for (int i = 0; i < merged.length; i++) {
            merged[i] = sums[i] + other.sums[i];
        }
        return new MetricSums(names, merged, count + other.count);
    }

    private int indexOf(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown metric " + name + "; expected one of " + names);
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricSums other && count == other.count && names.equals(other.names)
                && Arrays.equals(sums, other.sums);
    }

    @Override
    public int hashCode() {
        return Objects.hash(names, Arrays.hashCode(sums), count);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("MetricSums[users=").append(count);
        for (int i = 0; i < sums.length; i++) {
            b.append(", ").append(names.get(i)).append('=').append(sums[i] / count);
        }
        return b.append(']').toString();
    }
}
