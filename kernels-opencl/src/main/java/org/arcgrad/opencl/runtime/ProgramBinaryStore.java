package org.arcgrad.opencl.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.arcgrad.opencl.files.AtomicFiles;
import org.arcgrad.opencl.files.TemporaryFiles;

/**
 * Program binaries on disk, one file per {@link ProgramKey#digest()}: {@code <digest>.clbin}.
 *
 * <p>File layout: the magic line, the key digest (64 ASCII hex digits), the binary length (8 bytes,
 * big-endian), the SHA-256 of the binary (32 bytes), the binary. A file that does not match this
 * exactly (torn by a crash, edited, written for another key) is treated as absent and deleted, so
 * the program is rebuilt. Files are written to a temporary name and renamed, so readers in other
 * processes never see half a file.
 */
final class ProgramBinaryStore {
    private static final byte[] MAGIC = "ARCGRAD-CL-BINARY-1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST_CHARS = 64;
    private static final int SHA_BYTES = 32;
    private static final int HEADER = MAGIC.length + DIGEST_CHARS + Long.BYTES + SHA_BYTES;

    private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

    private final Path directory;

    ProgramBinaryStore(Path directory) {
        this.directory = directory;
    }

    Path fileFor(String digest) {
        return directory.resolve(digest + ".clbin");
    }

    /** The stored binary, or empty when there is none or it is not intact (then the file is removed). */
    Optional<byte[]> read(String digest) {
        Path file = fileFor(digest);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // unreadable: behave as a miss; the rebuild will try to overwrite it
        }
        Optional<byte[]> binary = parse(digest, bytes);
        if (binary.isEmpty()) {
            discard(digest, "it is damaged (torn by a crash, edited, or written for another key)");
        }
        return binary;
    }

    /** Stores a binary atomically, through {@link AtomicFiles} like every file arcgrad writes. */
    void write(String digest, byte[] binary) throws IOException {
        Files.createDirectories(directory);
        removeStaleTemporariesOnce();
        ByteBuffer out = ByteBuffer.allocate(HEADER + binary.length);
        out.put(MAGIC).put(digest.getBytes(StandardCharsets.US_ASCII)).putLong(binary.length).put(sha256(binary)).put(binary);
        out.flip();
        AtomicFiles.write(fileFor(digest), channel -> {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        });
    }

    /** Entries a killed process was writing; once per folder and process, before the first write there. */
    private void removeStaleTemporariesOnce() throws IOException {
        if (CLEANED.add(directory.toAbsolutePath())) {
            TemporaryFiles.removeStale(directory);
        }
    }

    /** Deletes an entry that cannot serve its key, with one warning per run naming the cache folder. */
    void discard(String digest, String why) {
        Warnings.once("cache-discard " + directory.toAbsolutePath(), "kernel cache entry " + fileFor(digest).getFileName()
                + " in " + directory + " discarded and rebuilt: " + why);
        delete(digest);
    }

    private void delete(String digest) {
        try {
            Files.deleteIfExists(fileFor(digest));
        } catch (IOException e) {
            // A file we cannot delete will fail validation again next time; nothing better to do.
        }
    }

    private static Optional<byte[]> parse(String digest, byte[] bytes) {
        if (bytes.length < HEADER || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, MAGIC.length, bytes.length - MAGIC.length);
        byte[] storedDigest = new byte[DIGEST_CHARS];
        in.get(storedDigest);
        long length = in.getLong();
        byte[] storedSha = new byte[SHA_BYTES];
        in.get(storedSha);
        if (!new String(storedDigest, StandardCharsets.US_ASCII).equals(digest) || length != in.remaining()) {
            return Optional.empty();
        }
        byte[] binary = new byte[(int) length];
        in.get(binary);
        return MessageDigest.isEqual(storedSha, sha256(binary)) ? Optional.of(binary) : Optional.empty();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
