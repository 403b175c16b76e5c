package org.fedrec.privacy.secagg;

import java.util.List;

/**
 * The output of a completed round: {@code sum[i] = sum over contributors of input[i] mod 2^k} (entries in
 * [0, 2^k); {@link FixedPoint#decode} reads them back), and the clients whose inputs it holds, in roster
 * order. The array is owned by the result.
 */
public record SecAggResult(long round, long[] sum, List<String> contributors) {
    public SecAggResult {
        contributors = List.copyOf(contributors);
    }
}
