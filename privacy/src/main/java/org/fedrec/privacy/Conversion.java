package org.fedrec.privacy;

/**
 * How an RDP curve {@code (α, RDP(α))} becomes an {@code (ε, δ)} guarantee; each minimizes over the
 * orders of the grid and reports the optimal order.
 */
public enum Conversion {

    /**
     * Mironov 2017 ("Rényi Differential Privacy", Prop. 3):
     * {@code ε = min_α [RDP(α) + ln(1/δ)/(α−1)]}, {@code δ = min(1, min_α exp((α−1)(RDP(α) − ε)))}.
     * What TF-Privacy used until December 2020 and what the Abadi et al. / MNIST tutorial figures use.
     */
    CLASSIC,

    /**
     * Balle et al. 2020 ("Hypothesis testing interpretations and Rényi DP", Thm 21); Canonne, Kamath,
     * Steinke 2020 (Prop. 12); Asoodeh et al. 2020 (eq. 20):
     * {@code ε = min_α [RDP(α) + ln(1 − 1/α) − ln(δ·α)/(α−1)]},
     * {@code δ = min(1, min_α exp((α−1)(RDP(α) − ε + ln(1 − 1/α)) − ln α))}.
     * As in Google's dp_accounting: the formula is used only for α &gt; 1.01; every order also offers the
     * KL bound {@code δ ≤ sqrt(1 − exp(−RDP))} (so ε = 0 at an order where δ² + expm1(−RDP) &gt; 0);
     * ε is clipped at 0. On every reference vector this equals Opacus' plain formula.
     */
    IMPROVED
}
