package org.fedrec.data;

import java.util.Objects;

/**
 * Train, validation and test interactions over the same users and items. Validation may be empty.
 */
public record Split(Interactions train, Interactions validation, Interactions test) {
  public Split {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(test, "test");
    for (Interactions part : new Interactions[] {validation, test}) {
      if (part.numUsers() != train.numUsers() || part.numItems() != train.numItems()) {
        throw new IllegalArgumentException("all parts must share numUsers and numItems: train has " + train.numUsers() + " x "
            + train.numItems() + ", another part " + part.numUsers() + " x " + part.numItems());
      }
    }
  }
}
