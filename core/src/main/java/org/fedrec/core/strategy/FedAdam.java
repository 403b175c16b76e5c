package org.fedrec.core.strategy;

/** FedAdam: server-side Adam. See {@link FedOpt} for the update rule (Reddi et al., ICLR 2021). */
public final class FedAdam extends FedOpt {
    public FedAdam(Settings settings, Hyper hyper) {
        super(settings, Rule.ADAM, hyper);
    }
}
