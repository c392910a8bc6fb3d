package org.arcgrad.arcface.data;

import java.io.IOException;

/**
 * A file that is not an IDX file this library accepts, or whose content does not fit what it is
 * loaded as (a Fashion-MNIST label outside 0..9, a label count that differs from the image count).
 * The message always starts with the file and then says what is wrong with it, so that a user who
 * reads only the message knows which file to fix and how.
 */
public final class IdxFormatException extends IOException {
    private final String source;
    private final String problem;

    public IdxFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /** The file that was being read. */
    public String source() {
        return source;
    }

    /** What is wrong, without the file prefix. */
    public String problem() {
        return problem;
    }
}
