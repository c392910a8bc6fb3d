package org.arcgrad.arcface.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data folder or file that is not there; the message names it and says how to get it. */
public final class DataNotFoundException extends IOException {
    private final Path path;

    public DataNotFoundException(Path path, String message) {
        super(message);
        this.path = path;
    }

    /** The folder or file that is missing. */
    public Path path() {
        return path;
    }
}
