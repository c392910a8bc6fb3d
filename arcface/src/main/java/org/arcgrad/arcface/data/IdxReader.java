package org.arcgrad.arcface.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads a whole IDX file (gzip or plain, by its magic bytes) into memory with every check of
 * {@link IdxInput}. To stream a large file without holding it whole, use {@link IdxInput} directly.
 */
public final class IdxReader {
    /** Multi-byte elements are converted from big-endian in pieces of this size. */
    private static final int CHUNK_BYTES = 1 << 16;

    private IdxReader() {
    }

    /** Reads and checks {@code file}. */
    public static IdxArray read(Path file) throws IOException {
        try (IdxInput in = IdxInput.open(file)) {
            IdxArray array = readData(in);
            in.finish();
            return array;
        }
    }

    private static IdxArray readData(IdxInput in) throws IOException {
        IdxHeader header = in.header();
        int n = header.elements();
        if (header.type().itemSize() == 1) {
            byte[] bytes = new byte[n];
            in.readData(bytes, 0, n);
            return new IdxArray(header, bytes);
        }
        int itemSize = header.type().itemSize();
        int perChunk = CHUNK_BYTES / itemSize;
        byte[] chunk = new byte[perChunk * itemSize];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
        Object data = switch (header.type()) {
            case SHORT -> new short[n];
            case INT -> new int[n];
            case FLOAT -> new float[n];
            case DOUBLE -> new double[n];
            default -> throw new AssertionError(header.type());
        };
        for (int i = 0; i < n; i += perChunk) {
            int k = Math.min(perChunk, n - i);
            in.readData(chunk, 0, k * itemSize);
            buffer.clear();
            switch (header.type()) {
                case SHORT -> buffer.asShortBuffer().get((short[]) data, i, k);
                case INT -> buffer.asIntBuffer().get((int[]) data, i, k);
                case FLOAT -> buffer.asFloatBuffer().get((float[]) data, i, k);
                case DOUBLE -> buffer.asDoubleBuffer().get((double[]) data, i, k);
                default -> throw new AssertionError(header.type());
            }
        }
        return new IdxArray(header, data);
    }
}
