package org.fedrec.privacy;

/**
 * How the RDP of the subsampled Gaussian is computed at a fractional order α, by the two-series
 * expansion of Mironov, Talwar, Zhang 2019 ("Rényi Differential Privacy of the Sampled Gaussian
 * Mechanism", §3.3). Integer orders use the exact binomial expansion either way.
 */
public enum FractionalSeries {

    /**
     * The exact value (the default): the generalized binomial C(α, i) turns negative for i &gt; α+1
     * with alternating sign and the terms are added or subtracted accordingly, stopping after the first
     * i with max(ln s0, ln s1) &lt; −30. This is Opacus and TF-Privacy up to 2022; it matches numerical
     * integration to about 1e-9.
     */
    SIGNED,

    /**
     * The conservative upper bound of Google's dp_accounting since 2024: the absolute values of the
     * terms are summed, stopping once both series decrease and the last term is below the running total
     * by e^30; an order that does not converge in 1000 terms gets RDP = +∞ (it drops out of the
     * minimum). Up to 47% above the exact value at low orders, and not monotone in q (near q = 1 it can
     * exceed the closed form at q = 1); offered only to reproduce dp_accounting's numbers.
     */
    ABSOLUTE_UPPER_BOUND
}
