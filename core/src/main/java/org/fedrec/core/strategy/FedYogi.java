package org.fedrec.core.strategy;

/** FedYogi: server-side Yogi (Zaheer et al. 2018), whose second moment grows or shrinks additively. See {@link FedOpt} for the update rule (Reddi et al., ICLR 2021). */
public final class FedYogi extends FedOpt {
    public FedYogi(Settings settings, Hyper hyper) {
        super(settings, Rule.YOGI, hyper);
    }
}
