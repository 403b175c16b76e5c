/**
 * Differential privacy for federated training, as pure logic (no transport): the Rényi-DP accountant
 * for the Poisson-subsampled Gaussian mechanism ({@link org.fedrec.privacy.RdpAccountant}), its order
 * grids ({@link org.fedrec.privacy.OrderGrid}) and (ε, δ) conversions
 * ({@link org.fedrec.privacy.Conversion}). Validated against the reference vectors of TF-Privacy,
 * Opacus and Google's dp_accounting ({@code ReferenceVectorsTest}). Secure aggregation is in
 * {@link org.fedrec.privacy.secagg}.
 */
package org.fedrec.privacy;
