package org.fedrec.core.strategy;

/** FedAdagrad: server-side Adagrad. See {@link FedOpt} for the update rule (Reddi et al., ICLR 2021). */
public final class FedAdagrad extends FedOpt {
    public FedAdagrad(Settings settings, Hyper hyper) {
        super(settings, Rule.ADAGRAD, hyper);
    }
}
