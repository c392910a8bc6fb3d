package org.arcgrad.arcface.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An IDX file opened for streaming: the header is read and checked on {@link #open}, the data is
 * then read in pieces of the caller's choosing, and {@link #finish} checks that nothing follows it.
 * Whether the file is gzip-compressed is decided by its first two bytes (1f 8b), never by its name;
 * compressed files are decompressed as they are read, so no file is ever held in memory twice.
 *
 * <p>Every problem is an {@link IdxFormatException} naming the file: bad magic, unknown type code,
 * no dimensions, a dimension ≤ 0, more elements than a Java array holds, a truncated header or
 * data (expected N bytes, found M), trailing bytes, and a corrupt or truncated gzip stream. For a
 * plain file the data size is checked against the file size before any data is read, so a header
 * that lies costs nothing; for a gzip file it is checked against the most deflate can expand to,
 * and exactly as the data streams in.
 *
 * <p>Limitation: like {@code gunzip}, {@link GZIPInputStream} reads concatenated gzip members as one
 * stream, and it silently ignores bytes after the last member that do not start another member.
 */
public final class IdxInput implements Closeable {
    /**
     * Deflate cannot expand its input more than 1032-fold (a 258-byte match costs at least two bits),
     * so a gzip file of S bytes holds at most 1032·S bytes; a header promising more is truncated.
     */
    static final long MAX_DEFLATE_EXPANSION = 1032;
    private static final int BUFFER_BYTES = 1 << 16;

    private final String source;
    private final boolean gzip;
    private final InputStream in;
    private final IdxHeader header;
    /** Bytes of content (header and data, after decompression) read so far: for messages. */
    private long contentRead;
    private long dataRead;

    private IdxInput(Path file, InputStream raw, long fileSize) throws IOException {
        this.source = file.toString();
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_BYTES);
        this.gzip = startsWithGzipMagic(buffered);
        this.in = gzip ? openGzip(buffered) : buffered;
        this.header = readHeader();
        checkSize(fileSize);
    }

    /** Opens {@code file} and reads and checks its header; the caller then reads the data and calls {@link #finish}. */
    public static IdxInput open(Path file) throws IOException {
        long fileSize = Files.size(file);
        InputStream raw = Files.newInputStream(file);
        try {
            return new IdxInput(file, raw, fileSize);
        } catch (IOException | RuntimeException e) {
            try {
                raw.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The checked header. */
    public IdxHeader header() {
        return header;
    }

    /** The file, as messages name it. */
    public String source() {
        return source;
    }

    /** Whether the file is gzip-compressed (by its magic bytes). */
    public boolean isGzip() {
        return gzip;
    }

    /** Bytes of data not yet read. */
    public long remainingDataBytes() {
        return header.dataBytes() - dataRead;
    }

    /**
     * Reads exactly {@code length} bytes of data (big-endian elements, as stored) into
     * {@code into[offset ..]}. Asking for more than remains is a programming error; data that ends
     * early is a truncated file.
     */
    public void readData(byte[] into, int offset, int length) throws IOException {
        if (length > remainingDataBytes()) {
            throw new IllegalArgumentException("asked for " + length + " bytes of data, only " + remainingDataBytes() + " remain");
        }
        int got = readUpTo(into, offset, length);
        dataRead += got;
        if (got < length) {
            throw new IdxFormatException(source, "truncated: " + header.describe() + " need " + header.dataBytes()
                    + " bytes of data, found " + dataRead + (gzip ? " in the decompressed stream" : " (the file shrank while it was read)"));
        }
    }

    /**
     * Checks, after all data has been read, that nothing follows it. For a gzip file this reads to
     * the end of the stream, which is also when the gzip CRC and length trailer are checked.
     */
    public void finish() throws IOException {
        if (remainingDataBytes() != 0) {
            throw new IllegalStateException(remainingDataBytes() + " bytes of data not read yet");
        }
        byte[] scratch = new byte[BUFFER_BYTES];
        long extra = 0;
        for (int n; (n = readUpTo(scratch, 0, scratch.length)) > 0; ) {
            extra += n;
        }
        if (extra > 0) {
            throw trailing(header.dataBytes() + extra);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private InputStream openGzip(InputStream buffered) throws IOException {
        try {
            return new GZIPInputStream(buffered, BUFFER_BYTES);
        } catch (ZipException e) {
            throw new IdxFormatException(source, "corrupt gzip stream: bad gzip header (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new IdxFormatException(source, "truncated gzip stream: the file ends inside the gzip header");
        }
    }

    private IdxHeader readHeader() throws IOException {
        byte[] magic = new byte[4];
        int n = readUpTo(magic, 0, 4);
        if (n == 0) {
            throw new IdxFormatException(source, gzip ? "the gzip stream holds no data, not an IDX file" : "file is empty, not an IDX file");
        }
        if (magic[0] != 0 || (n > 1 && magic[1] != 0)) {
            throw new IdxFormatException(source, "not an IDX file: bad magic, expected the bytes 00 00 <type> <rank>, found "
                    + hex(magic, n) + (gzip ? " (after decompression)" : ""));
        }
        if (n < 4) {
            throw new IdxFormatException(source, "truncated header: the content ends after " + n + " bytes, inside the 4-byte IDX magic");
        }
        IdxType type = IdxType.forCode(Byte.toUnsignedInt(magic[2]));
        if (type == null) {
            throw new IdxFormatException(source, String.format("unknown IDX type code 0x%02X in the magic bytes %s; known codes: %s",
                    Byte.toUnsignedInt(magic[2]), hex(magic, 4), IdxType.knownCodes()));
        }
        int rank = Byte.toUnsignedInt(magic[3]);
        if (rank == 0) {
            throw new IdxFormatException(source, "the magic bytes " + hex(magic, 4) + " say 0 dimensions; an IDX file has at least 1");
        }
        byte[] dimBytes = new byte[4 * rank];
        n = readUpTo(dimBytes, 0, dimBytes.length);
        if (n < dimBytes.length) {
            throw new IdxFormatException(source, "truncated header: " + rank + " dimensions need " + dimBytes.length
                    + " bytes after the magic, found " + n);
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = ((dimBytes[4 * i] & 0xff) << 24) | ((dimBytes[4 * i + 1] & 0xff) << 16)
                    | ((dimBytes[4 * i + 2] & 0xff) << 8) | (dimBytes[4 * i + 3] & 0xff);
        }
        for (int i = 0; i < rank; i++) {
            if (dims[i] <= 0) {
                throw new IdxFormatException(source, "dimension " + i + " of " + Arrays.toString(dims) + " is " + dims[i]
                        + "; dimensions must be positive");
            }
        }
        BigInteger elements = BigInteger.ONE;
        for (int d : dims) {
            elements = elements.multiply(BigInteger.valueOf(d));
        }
        if (elements.compareTo(BigInteger.valueOf(IdxHeader.MAX_ELEMENTS)) > 0) {
            throw new IdxFormatException(source, "dims " + Arrays.toString(dims) + " hold " + elements
                    + " elements, more than a Java array can hold (" + IdxHeader.MAX_ELEMENTS + ")");
        }
        return new IdxHeader(type, dims, elements.intValue());
    }

    /** Checks the data size against the file before reading any data (exactly for plain files, a bound for gzip). */
    private void checkSize(long fileSize) throws IdxFormatException {
        long expected = header.dataBytes();
        if (!gzip) {
            long found = fileSize - header.headerBytes();
            if (found < expected) {
                throw new IdxFormatException(source, "truncated: " + header.describe() + " need " + expected
                        + " bytes of data, found " + found);
            }
            if (found > expected) {
                throw trailing(found);
            }
        } else if (expected > MAX_DEFLATE_EXPANSION * fileSize) {
            throw new IdxFormatException(source, "truncated: " + header.describe() + " need " + expected
                    + " bytes of data, but a gzip file of " + fileSize + " bytes decompresses to at most "
                    + MAX_DEFLATE_EXPANSION * fileSize + " (deflate expands at most " + MAX_DEFLATE_EXPANSION + "-fold)");
        }
    }

    private IdxFormatException trailing(long found) {
        long expected = header.dataBytes();
        return new IdxFormatException(source, "trailing bytes after the data: " + header.describe() + " need " + expected
                + " bytes of data, found " + found + " (" + (found - expected) + " extra)");
    }

    /** Reads until {@code length} bytes or the end; gzip failures become messages that name the file. */
    private int readUpTo(byte[] into, int offset, int length) throws IOException {
        int total = 0;
        try {
            while (total < length) {
                int n = in.read(into, offset + total, length - total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (ZipException e) {
            throw new IdxFormatException(source, "corrupt gzip stream after " + (contentRead + total)
                    + " bytes of decompressed content: " + e.getMessage());
        } catch (EOFException e) {
            if (!gzip) {
                throw e;
            }
            throw new IdxFormatException(source, "truncated gzip stream: the compressed data ends early, after "
                    + (contentRead + total) + " bytes of decompressed content (" + e.getMessage() + ")");
        }
        contentRead += total;
        return total;
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", b[i]));
        }
        return sb.toString();
    }
}
