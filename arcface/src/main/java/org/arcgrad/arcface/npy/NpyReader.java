package org.arcgrad.arcface.npy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads NPY files (format versions 1.0, 2.0 and 3.0) holding a C-order array of float32, float64,
 * int32 or int64. Everything else is refused with an {@link NpyFormatException} that names the file
 * and the problem. The file's size is checked against the header before any data array is
 * allocated, so a header that lies about the shape costs nothing.
 */
public final class NpyReader {
    private NpyReader() {
    }

    /** Reads the whole array in {@code file}. */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            NpyHeader header = readHeader(ch, size, file.toString());
            return readData(ch, header, file.toString());
        }
    }

    /** Reads an array from NPY bytes held in memory; {@code sourceName} is what messages call it. */
    public static NpyArray read(byte[] content, String sourceName) throws NpyFormatException {
        ReadableByteChannel ch = Channels.newChannel(new ByteArrayInputStream(content));
        try {
            NpyHeader header = readHeader(ch, content.length, sourceName);
            return readData(ch, header, sourceName);
        } catch (NpyFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
    }

    /** Reads and checks only the header of {@code file}: its dtype and shape, without the data. */
    public static NpyHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch, ch.size(), file.toString());
        }
    }

    /**
     * Reads the preamble and header from a channel positioned at the start of a {@code totalSize}-byte
     * file, and checks that exactly the header's data bytes follow.
     */
    private static NpyHeader readHeader(ReadableByteChannel ch, long totalSize, String source) throws IOException {
        ByteBuffer start = readUpTo(ch, (int) Math.min(totalSize, NpyFormat.MAGIC_AND_VERSION));
        checkMagic(start, totalSize, source);
        int major = Byte.toUnsignedInt(start.get(NpyFormat.MAGIC.length));
        int minor = Byte.toUnsignedInt(start.get(NpyFormat.MAGIC.length + 1));
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(source, "NPY format version " + major + "." + minor
                    + " is not supported; readable versions: 1.0, 2.0, 3.0");
        }
        int lengthBytes = NpyFormat.lengthFieldBytes(major);
        long preamble = NpyFormat.MAGIC_AND_VERSION + lengthBytes;
        if (totalSize < preamble) {
            throw new NpyFormatException(source, "file ends after " + totalSize + " bytes, inside the " + preamble
                    + "-byte preamble of an NPY " + major + ".0 file");
        }
        ByteBuffer lengthField = readUpTo(ch, lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = lengthBytes == 2 ? Short.toUnsignedLong(lengthField.getShort(0))
                : Integer.toUnsignedLong(lengthField.getInt(0));
        long available = totalSize - preamble;
        if (headerLength > available) {
            throw new NpyFormatException(source, "header length field says " + headerLength + " bytes, but only "
                    + available + " bytes follow the preamble (file of " + totalSize + " bytes): damaged or truncated header");
        }
        if (headerLength > NpyFormat.MAX_HEADER_BYTES) {
            throw new NpyFormatException(source, "header length field says " + headerLength
                    + " bytes, more than the " + NpyFormat.MAX_HEADER_BYTES + " this reader accepts: damaged header");
        }
        ByteBuffer headerBytes = readUpTo(ch, (int) headerLength);
        String text = decodeHeader(headerBytes, major, preamble, source);
        NpyHeader header = NpyHeaderParser.parse(source, major, minor, text);

        long expected = header.dataBytes();
        long found = available - headerLength;
        String needs = "shape " + NpyArray.shapeString(header.shape()) + " of " + header.dtype().numpyName()
                + " needs " + expected + " bytes of data, found " + found;
        if (found < expected) {
            throw new NpyFormatException(source, "truncated: " + needs);
        }
        if (found > expected) {
            throw new NpyFormatException(source, "trailing bytes after the array: " + needs + " ("
                    + (found - expected) + " extra)");
        }
        return header;
    }

    private static void checkMagic(ByteBuffer start, long totalSize, String source) throws NpyFormatException {
        if (totalSize == 0) {
            throw new NpyFormatException(source, "file is empty, not an NPY file");
        }
        int have = Math.min(start.limit(), NpyFormat.MAGIC.length);
        for (int i = 0; i < have; i++) {
            if (start.get(i) != NpyFormat.MAGIC[i]) {
                throw new NpyFormatException(source, "not an NPY file: expected the magic bytes " + NpyFormat.magicText()
                        + ", found " + hex(start, Math.min(start.limit(), NpyFormat.MAGIC_AND_VERSION))
                        + (looksLikeZip(start) ? " (this looks like a zip archive, e.g. an .npz; extract the .npy inside)" : ""));
            }
        }
        if (totalSize < NpyFormat.MAGIC_AND_VERSION) {
            throw new NpyFormatException(source, "file ends after " + totalSize + " bytes, inside the NPY preamble");
        }
    }

    /** v1 and v2 headers are ASCII by the spec; v3 allows UTF-8. Either way we decode strictly. */
    private static String decodeHeader(ByteBuffer bytes, int major, long offset, String source) throws NpyFormatException {
        if (major < 3) {
            for (int i = 0; i < bytes.limit(); i++) {
                int b = Byte.toUnsignedInt(bytes.get(i));
                if (b >= 0x80) {
                    throw new NpyFormatException(source, String.format("header byte 0x%02x at file offset %d is not ASCII;"
                            + " an NPY %d.0 header is ASCII text: damaged header", b, offset + i, major));
                }
            }
            return StandardCharsets.US_ASCII.decode(bytes).toString();
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new NpyFormatException(source, "header is not valid UTF-8 (" + e.getMessage() + "): damaged header");
        }
    }

    /** Reads the data that {@link #readHeader} already checked is exactly there. */
    private static NpyArray readData(ReadableByteChannel ch, NpyHeader header, String source) throws IOException {
        int[] shape = header.shape();
        int n = header.size();
        ByteBuffer chunk = ByteBuffer.allocate(NpyFormat.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = NpyFormat.CHUNK_BYTES / header.dtype().itemSize();
        switch (header.dtype()) {
            case FLOAT32 -> {
                float[] d = new float[n];
                for (int i = 0; i < n; i += perChunk) {
                    int k = Math.min(perChunk, n - i);
                    fill(ch, chunk, k * 4, source).asFloatBuffer().get(d, i, k);
                }
                return NpyArray.ofFloat32(shape, d);
            }
            case FLOAT64 -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i += perChunk) {
                    int k = Math.min(perChunk, n - i);
                    fill(ch, chunk, k * 8, source).asDoubleBuffer().get(d, i, k);
                }
                return NpyArray.ofFloat64(shape, d);
            }
            case INT32 -> {
                int[] d = new int[n];
                for (int i = 0; i < n; i += perChunk) {
                    int k = Math.min(perChunk, n - i);
                    fill(ch, chunk, k * 4, source).asIntBuffer().get(d, i, k);
                }
                return NpyArray.ofInt32(shape, d);
            }
            case INT64 -> {
                long[] d = new long[n];
                for (int i = 0; i < n; i += perChunk) {
                    int k = Math.min(perChunk, n - i);
                    fill(ch, chunk, k * 8, source).asLongBuffer().get(d, i, k);
                }
                return NpyArray.ofInt64(shape, d);
            }
            default -> throw new AssertionError(header.dtype());
        }
    }

    /** Reads exactly {@code bytes} bytes into the reused {@code chunk}; the file shrinking meanwhile is an error. */
    private static ByteBuffer fill(ReadableByteChannel ch, ByteBuffer chunk, int bytes, String source) throws IOException {
        chunk.clear().limit(bytes);
        while (chunk.hasRemaining()) {
            if (ch.read(chunk) < 0) {
                throw new EOFException(source + ": file became shorter while it was being read");
            }
        }
        return chunk.flip();
    }

    private static ByteBuffer readUpTo(ReadableByteChannel ch, int bytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        while (b.hasRemaining() && ch.read(b) >= 0) {
            // keep reading: channels may return short reads
        }
        return b.flip();
    }

    private static boolean looksLikeZip(ByteBuffer b) {
        return b.limit() >= 4 && b.get(0) == 'P' && b.get(1) == 'K' && b.get(2) == 3 && b.get(3) == 4;
    }

    private static String hex(ByteBuffer b, int n) {
        if (n == 0) {
            return "an empty file";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", b.get(i)));
        }
        return sb.toString();
    }
}
