package org.fedrec.data;

/** Splits a dataset into train, validation and test. Implementations are deterministic. */
@FunctionalInterface
public interface Splitter {
  /** Splits the dataset's interactions; users and items keep their indices. */
  Split split(Dataset dataset);
}
