package org.arcgrad.opencl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk format alone, without a driver. */
class ProgramBinaryStoreTest {
    static final String DIGEST = "ab".repeat(32);

    @TempDir
    Path dir;

    @Test
    void roundTrip() throws IOException {
        ProgramBinaryStore store = new ProgramBinaryStore(dir.resolve("nested/folder"));
        byte[] binary = {1, 2, 3, 0, -1};
        store.write(DIGEST, binary);
        assertArrayEquals(binary, store.read(DIGEST).orElseThrow());
        assertTrue(store.read("cd".repeat(32)).isEmpty(), "another key is a miss");
    }

    @Test
    void aFileUnderTheWrongNameIsRejectedAndRemoved() throws IOException {
        ProgramBinaryStore store = new ProgramBinaryStore(dir);
        store.write(DIGEST, new byte[] {9});
        String other = "cd".repeat(32);
        Files.copy(store.fileFor(DIGEST), store.fileFor(other));
        assertTrue(store.read(other).isEmpty());
        assertFalse(Files.exists(store.fileFor(other)));
    }

    @Test
    void garbageIsRejectedAndRemoved() throws IOException {
        ProgramBinaryStore store = new ProgramBinaryStore(dir);
        Files.write(store.fileFor(DIGEST), new byte[] {1, 2, 3});
        assertTrue(store.read(DIGEST).isEmpty());
        assertFalse(Files.exists(store.fileFor(DIGEST)));
    }
}
