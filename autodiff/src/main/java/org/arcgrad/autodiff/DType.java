package org.arcgrad.autodiff;

/** Element types. Floats are fp64 in the interpreter and fp32 on OpenCL devices; INT holds class labels. */
public enum DType {
    FLOAT, INT
}
