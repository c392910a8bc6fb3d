package org.arcgrad.arcface.npy;

import java.io.IOException;

/**
 * A file that is not an NPY file this library accepts. The message always starts with the file
 * (or the name the caller gave an in-memory source) and then says what is wrong with it, so that a
 * user reading only the message knows which file to fix and how.
 */
public final class NpyFormatException extends IOException {
    private final String source;
    private final String problem;

    public NpyFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /** The file (or in-memory source name) that was being read or written. */
    public String source() {
        return source;
    }

    /** What is wrong, without the source prefix. */
    public String problem() {
        return problem;
    }
}
