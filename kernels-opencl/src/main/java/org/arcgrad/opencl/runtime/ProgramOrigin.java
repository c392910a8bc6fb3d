package org.arcgrad.opencl.runtime;

/** How a {@link Program} came to be in its context. */
public enum ProgramOrigin {
    /** Compiled from OpenCL C source by the driver. */
    COMPILED,
    /** Loaded from a binary in the disk cache (no front-end compile). */
    DISK_CACHE
}
