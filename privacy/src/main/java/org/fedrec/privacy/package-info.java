/**
 * Differential privacy for federated training, as pure logic (no transport): the Rényi-DP accountant
 * for the Poisson-subsampled Gaussian mechanism ({@link org.fedrec.privacy.RdpAccountant}), its order
 * grids ({@link org.fedrec.privacy.OrderGrid}) and (ε, δ) conversions
 * ({@link org.fedrec.privacy.Conversion}); the privacy-loss-distribution accountant for the same
 * mechanism ({@link org.fedrec.privacy.PldAccountant}, numerically tight) and the exact Gaussian curve
 * ({@link org.fedrec.privacy.AnalyticGaussian}); all validated against the reference vectors of
 * TF-Privacy, Opacus and Google's dp_accounting ({@code ReferenceVectorsTest}); and DP-FedAvg as a strategy
 * decorator ({@link org.fedrec.privacy.DpFedAvg}, with adaptive clipping) paired with client
 * interceptors ({@link org.fedrec.privacy.L2Clipping}, {@link org.fedrec.privacy.LocalGaussianNoise}).
 * Secure aggregation is in {@link org.fedrec.privacy.secagg}.
 */
package org.fedrec.privacy;
