package org.fedrec.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces files so that a reader (or a run killed at any instant) sees either the old content or the
 * new one, never a half-written file: write a hidden sibling, then rename it over the target.
 */
public final class AtomicFiles {

    /** Writes a file's content to the path it is given. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /** The hidden sibling that {@link #replace} writes first: {@code .NAME.tmp}. */
    public static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    public static void write(Path target, byte[] content) throws IOException {
        replace(target, tmp -> Files.write(tmp, content));
    }

    public static void replace(Path target, Writer writer) throws IOException {
        Path tmp = temporarySibling(target);
        try {
            writer.writeTo(tmp);
            if (!Files.exists(tmp)) {
                throw new IOException("nothing was written for " + target);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
