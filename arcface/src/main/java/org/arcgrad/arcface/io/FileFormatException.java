package org.arcgrad.arcface.io;

import java.io.IOException;

/**
 * A file whose content this library does not accept. The message always starts with the file (or
 * the name a caller gave an in-memory source) and then says what is wrong, so that a user reading
 * only the message knows which file to fix and how. Each format has its own subclass.
 */
public abstract class FileFormatException extends IOException {
    private final String source;
    private final String problem;

    protected FileFormatException(String source, String problem) {
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
