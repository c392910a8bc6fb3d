package org.arcgrad.opencl.compile;

/** A kernel cannot be written with explicit vectors (a read that is neither contiguous nor uniform across lanes); the scalar form is used. */
final class VectorizeException extends RuntimeException {
    VectorizeException(String why) {
        super(why, null, false, false);
    }
}
