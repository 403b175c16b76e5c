package org.fedrec.data;

/**
 * Turns ratings or labelled interactions into implicit feedback: positives without values
 * ({@link Interactions#hasValues()} false), timestamps kept, users and items unchanged.
 */
public final class ImplicitFeedback {
  private ImplicitFeedback() {}

  /** Every interaction is a positive. */
  public static Interactions all(Interactions interactions) {
    return interactions.withoutValues();
  }

  /**
   * Only interactions with {@code value >= threshold} are positives, e.g. ratings of 4 and 5.
   *
   * @throws IllegalArgumentException if the interactions have no values or the threshold is NaN
   */
  public static Interactions atLeast(Interactions interactions, float threshold) {
    if (Float.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold must be a number, got NaN");
    }
    if (!interactions.hasValues()) {
      throw new IllegalArgumentException("a threshold of " + threshold + " was given but the interactions have no values "
          + "(ratings or labels); use ImplicitFeedback.all instead");
    }
    int n = interactions.size();
    int[] keep = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (interactions.value(i) >= threshold) {
        keep[k++] = i;
      }
    }
    return interactions.subset(java.util.Arrays.copyOf(keep, k)).withoutValues();
  }
}
