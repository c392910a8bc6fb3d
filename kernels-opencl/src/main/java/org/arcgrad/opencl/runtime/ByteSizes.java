package org.arcgrad.opencl.runtime;

import java.util.Locale;

/** Byte counts as people read them in messages and listings. */
public final class ByteSizes {
    private ByteSizes() {
    }

    private static final double MIB = 1024.0 * 1024.0;

    /** "381.5 MiB": one decimal, so small buffers do not all read "0 MiB". */
    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }
}
