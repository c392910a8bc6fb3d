package org.arcgrad.arcface.data;

import org.arcgrad.arcface.io.FileFormatException;

/**
 * A file that is not an IDX file this library accepts, or whose content does not fit what it is
 * loaded as (a Fashion-MNIST label outside 0..9, a label count that differs from the image count).
 * The message starts with the file.
 */
public final class IdxFormatException extends FileFormatException {
    public IdxFormatException(String source, String problem) {
        super(source, problem);
    }
}
