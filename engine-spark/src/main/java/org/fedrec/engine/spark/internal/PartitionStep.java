package org.fedrec.engine.spark.internal;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/** A partition after a training round: its new private state, and its clients' outcomes for the driver. */
public record PartitionStep(PartitionState state, List<Outcome> outcomes) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public PartitionStep {
        outcomes = List.copyOf(outcomes);
    }
}
