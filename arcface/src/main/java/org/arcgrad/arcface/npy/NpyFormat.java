package org.arcgrad.arcface.npy;

import java.nio.charset.StandardCharsets;

/** The fixed facts of the NPY format (numpy.lib.format, NEP 1) that the reader and writer share. */
final class NpyFormat {
    /** Every NPY file starts with these six bytes. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Magic plus the major and minor version bytes. */
    static final int MAGIC_AND_VERSION = MAGIC.length + 2;
    /** numpy pads headers so that the data starts at a multiple of this (memory mapping wants it). */
    static final int ALIGNMENT = 64;
    /**
     * Our headers are a few dozen bytes; numpy's own loader refuses headers over 10,000 bytes unless
     * told otherwise. We allow far more but not unbounded, so a damaged length field never makes us
     * decode megabytes of array data as text.
     */
    static final long MAX_HEADER_BYTES = 1 << 20;
    /** Chunk for moving array data between channels and primitive arrays. */
    static final int CHUNK_BYTES = 1 << 16;

    private NpyFormat() {
    }

    /** Length in bytes of the header-length field for a major version: 2 for 1.x, 4 for 2.x and 3.x. */
    static int lengthFieldBytes(int major) {
        return major == 1 ? 2 : 4;
    }

    static String magicText() {
        return "\\x93" + new String(MAGIC, 1, MAGIC.length - 1, StandardCharsets.US_ASCII);
    }
}
