package org.fedrec.cli.run;

import java.io.IOException;
import java.nio.file.Path;
import org.fedrec.core.ModelState;

/**
 * Writes a model checkpoint. {@link RunDirectory} calls it once, at the end of the run or when the run is
 * cut short, with a temporary file next to {@code model.ckpt} that it then renames into place, so a
 * checkpoint is either complete or absent.
 */
@FunctionalInterface
public interface CheckpointWriter {

    /** Writes {@code model} (the run's best model) to {@code file}. */
    void write(Path file, ModelState model) throws IOException;
}
