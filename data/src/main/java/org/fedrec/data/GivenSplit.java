package org.fedrec.data;

/**
 * The split that came with the source: BARS/LightGCN {@code train.txt}/{@code test.txt}, or a
 * delimited file read with {@link ReadOptions#withTestFile}. Validation is empty.
 */
public final class GivenSplit implements Splitter {
  /**
   * @throws IllegalArgumentException if the dataset came without a split
   */
  @Override
  public Split split(Dataset dataset) {
    return dataset.givenSplit().orElseThrow(() -> new IllegalArgumentException("dataset '" + dataset.name() + "' (format "
        + dataset.format() + ") has no given split: expected train and test files (format adjacency, or csv with a test file); "
        + "use LeaveOneOutSplit or RandomRatioSplit instead"));
  }
}
