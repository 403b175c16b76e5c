/**
 * Datasets for federated recommendation: reading ({@link org.fedrec.data.DatasetReaders}),
 * downloading ({@link org.fedrec.data.DatasetFetcher}) and generating
 * ({@link org.fedrec.data.SyntheticShop}) them; the columnar {@link org.fedrec.data.Interactions}
 * table over dense user and item indices; splitting it ({@link org.fedrec.data.Splitter}) and
 * distributing the training part over clients ({@link org.fedrec.data.Partitioner}).
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * Dataset data = DatasetReaders.read(Path.of("ml-100k"));            // format detected
 * Split split = new LeaveOneOutSplit(false).split(data);
 * Partition clients = new PerUserPartitioner().partition(split.train(), data.catalog(), seed);
 * }</pre>
 *
 * <p>Depends on the JDK only. Everything in {@code org.fedrec.data.internal} is an implementation
 * detail and may change without notice.
 */
package org.fedrec.data;
