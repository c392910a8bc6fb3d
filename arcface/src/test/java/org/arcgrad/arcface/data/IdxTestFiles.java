package org.arcgrad.arcface.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Crafts small IDX files, well-formed or deliberately broken, plain or gzip-compressed. */
final class IdxTestFiles {
    private IdxTestFiles() {
    }

    /** The magic (00 00 type rank), the dims as big-endian int32, then {@code data} as given. */
    static byte[] idx(int typeCode, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    /** An unsigned-byte IDX file holding {@code values} (each 0..255) with the given dims. */
    static byte[] unsignedBytes(int[] dims, int... values) {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (byte) values[i];
        }
        return idx(0x08, dims, data);
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code content} to {@code dir/name}, gzip-compressed if asked. */
    static Path write(Path dir, String name, byte[] content, boolean compress) {
        try {
            return Files.write(dir.resolve(name), compress ? gzip(content) : content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
