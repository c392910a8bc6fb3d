package org.arcgrad.arcface.npy;

import org.arcgrad.arcface.io.FileFormatException;

/** A file that is not an NPY file this library accepts; the message starts with the file. */
public final class NpyFormatException extends FileFormatException {
    public NpyFormatException(String source, String problem) {
        super(source, problem);
    }
}
