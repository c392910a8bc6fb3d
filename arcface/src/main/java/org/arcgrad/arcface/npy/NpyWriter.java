package org.arcgrad.arcface.npy;

import org.arcgrad.opencl.files.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes NPY files as numpy does: little-endian data, C order, format version 1.0 (2.0 only when a
 * header is too long for 1.0's 16-bit length field), header padded with spaces and a newline so the
 * data starts on a 64-byte boundary. Files are replaced atomically: a crash leaves the old file or
 * the new one, never half of one.
 */
public final class NpyWriter {
    private NpyWriter() {
    }

    /** Writes {@code array} to {@code file}, replacing it atomically if it exists. */
    public static void write(Path file, NpyArray array) throws IOException {
        AtomicFiles.write(file, content(array));
    }

    /** The file content for {@code array}, to write several files at once with {@link AtomicFiles#writeAll}. */
    public static AtomicFiles.Content content(NpyArray array) {
        byte[] preambleAndHeader = preambleAndHeader(array);
        return ch -> {
            writeFully(ch, ByteBuffer.wrap(preambleAndHeader));
            writeData(ch, array);
        };
    }

    /** The complete NPY file content for {@code array}, in memory. */
    public static byte[] toBytes(NpyArray array) {
        byte[] head = preambleAndHeader(array);
        long total = head.length + (long) array.size() * array.dtype().itemSize();
        if (total > NpyArray.MAX_ELEMENTS) {
            throw new IllegalArgumentException(array + " needs " + total + " bytes, too many for one byte[]; write it to a file");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(head);
        switch (array.dtype()) {
            case FLOAT32 -> out.asFloatBuffer().put(array.float32Data());
            case FLOAT64 -> out.asDoubleBuffer().put(array.float64Data());
            case INT32 -> out.asIntBuffer().put(array.int32Data());
            case INT64 -> out.asLongBuffer().put(array.int64Data());
        }
        return out.array();
    }

    /** Magic, version, header length and the padded header text. */
    static byte[] preambleAndHeader(NpyArray array) {
        // Keys sorted, trailing ", " before "}": byte for byte what numpy writes, so diffs stay quiet.
        String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': "
                + NpyArray.shapeString(array.shape()) + ", }";
        int major = 1;
        int unpadded = NpyFormat.MAGIC_AND_VERSION + 2 + dict.length() + 1;
        if (padded(unpadded) - NpyFormat.MAGIC_AND_VERSION - 2 > 0xFFFF) {
            major = 2;
            unpadded += 2;
        }
        int lengthBytes = NpyFormat.lengthFieldBytes(major);
        int total = padded(unpadded);
        int headerLength = total - NpyFormat.MAGIC_AND_VERSION - lengthBytes;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyFormat.MAGIC).put((byte) major).put((byte) 0);
        if (lengthBytes == 2) {
            b.putShort((short) headerLength);
        } else {
            b.putInt(headerLength);
        }
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    private static int padded(int length) {
        return (length + NpyFormat.ALIGNMENT - 1) / NpyFormat.ALIGNMENT * NpyFormat.ALIGNMENT;
    }

    /** Streams the elements in chunks, so a large array is never copied whole into a byte buffer. */
    private static void writeData(FileChannel ch, NpyArray array) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(NpyFormat.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int n = array.size();
        int perChunk = NpyFormat.CHUNK_BYTES / array.dtype().itemSize();
        for (int i = 0; i < n; i += perChunk) {
            int k = Math.min(perChunk, n - i);
            chunk.clear();
            switch (array.dtype()) {
                case FLOAT32 -> chunk.asFloatBuffer().put(array.float32Data(), i, k);
                case FLOAT64 -> chunk.asDoubleBuffer().put(array.float64Data(), i, k);
                case INT32 -> chunk.asIntBuffer().put(array.int32Data(), i, k);
                case INT64 -> chunk.asLongBuffer().put(array.int64Data(), i, k);
            }
            chunk.limit(k * array.dtype().itemSize());
            writeFully(ch, chunk);
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
