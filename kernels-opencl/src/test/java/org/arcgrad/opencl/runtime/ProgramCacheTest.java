package org.arcgrad.opencl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramCacheTest {
    static final String SCALE = """
            __kernel void scale(__global float* y, const float a) {
                y[get_global_id(0)] *= a;
            }
            """;

    @TempDir
    Path cacheDir;

    private final Device device = TestDevices.preferred();

    @Test
    void theSecondBuildOfTheSameSourceHitsMemory() {
        try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            Program first = ctx.build(SCALE);
            Program second = ctx.build(SCALE);
            assertSame(first, second);
            assertEquals(new ProgramCache.Stats(1, 0, 1, 1), ctx.programCache().stats());
        }
    }

    @Test
    void aFreshCacheLoadsTheBinaryFromDiskAndItRuns() {
        try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            assertEquals(ProgramOrigin.COMPILED, ctx.build(SCALE).origin());
        }
        assertEquals(1, cacheFiles().size(), "one binary written");
        try (DeviceContext fresh = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            Program program = fresh.build(SCALE);
            assertEquals(ProgramOrigin.DISK_CACHE, program.origin());
            assertEquals(new ProgramCache.Stats(0, 1, 0, 0), fresh.programCache().stats());
            assertScales(fresh, program);
        }
    }

    @Test
    void optionsAreSeparateEntries() {
        try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            ctx.build(SCALE);
            ctx.build(SCALE, "-cl-fast-relaxed-math");
            assertEquals(2, ctx.programCache().stats().compiles());
        }
        assertEquals(2, cacheFiles().size());
    }

    @Test
    void aCorruptDiskEntryIsIgnoredAndRebuilt() throws IOException {
        try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            ctx.build(SCALE);
        }
        Path file = cacheFiles().get(0);
        byte[] good = Files.readAllBytes(file);
        for (byte[] damaged : List.of("not a program binary".getBytes(), java.util.Arrays.copyOf(good, good.length / 2),
                flipLastByte(good))) {
            Files.write(file, damaged);
            try (DeviceContext fresh = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
                Program program = fresh.build(SCALE);
                assertEquals(ProgramOrigin.COMPILED, program.origin());
                assertEquals(new ProgramCache.Stats(0, 0, 1, 1), fresh.programCache().stats());
                assertScales(fresh, program);
            }
            try (DeviceContext again = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
                assertEquals(ProgramOrigin.DISK_CACHE, again.build(SCALE).origin(), "the rebuilt entry is good");
            }
        }
        assertEquals(List.of(file), cacheFiles(), "no temporary files left behind");
    }

    @Test
    void aBinaryTheDriverRefusesIsRebuilt() throws IOException {
        String digest;
        try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            digest = ProgramKey.of(SCALE, "", ctx.device().info()).digest();
        }
        // A well-formed entry whose payload is not a binary for this driver.
        new ProgramBinaryStore(cacheDir).write(digest, "garbage that passes the checksum".getBytes());
        try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            Program program = ctx.build(SCALE);
            assertEquals(ProgramOrigin.COMPILED, program.origin());
            assertScales(ctx, program);
        }
        try (DeviceContext again = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            assertEquals(ProgramOrigin.DISK_CACHE, again.build(SCALE).origin());
        }
    }

    @Test
    void aValidEntryHoldingAnotherProgramIsDiscardedRebuiltAndSaidOnce() throws IOException {
        String other = "__kernel void shift(__global float* y) { y[get_global_id(0)] += 1.0f; }\n";
        String scaleDigest;
        String otherDigest;
        try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            ctx.build(other);
            scaleDigest = ProgramKey.of(SCALE, "", ctx.device().info()).digest();
            otherDigest = ProgramKey.of(other, "", ctx.device().info()).digest();
        }
        // checksum and key both valid: only the kernels inside tell that it is another program
        ProgramBinaryStore store = new ProgramBinaryStore(cacheDir);
        store.write(scaleDigest, store.read(otherDigest).orElseThrow());
        List<String> warnings = new java.util.ArrayList<>();
        java.util.function.Consumer<String> saved = Warnings.redirect(warnings::add);
        try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            Program program = ctx.build(SCALE);
            assertEquals(ProgramOrigin.COMPILED, program.origin());
            assertScales(ctx, program);
        } finally {
            Warnings.redirect(saved);
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("arcgrad: warning: kernel cache entry " + scaleDigest + ".clbin in " + cacheDir
                + " discarded and rebuilt: it holds kernels [shift] where its source declares [scale]"), warnings.get(0));
        try (DeviceContext again = DeviceContext.open(device, CacheSettings.onDisk(cacheDir))) {
            assertEquals(ProgramOrigin.DISK_CACHE, again.build(SCALE).origin(), "the rebuilt entry is good");
        }
    }

    @Test
    void memoryKeepsTheProgramsUsedLastAndAPushedOutProgramsKernelsStillRun() {
        String a = SCALE + "// a\n";
        String b = SCALE + "// b\n";
        String c = SCALE + "// c\n";
        try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.onDisk(cacheDir), 2)) {
            Program first = ctx.build(a);
            Kernel made = first.kernel("scale");
            ctx.build(b);
            assertSame(first, ctx.build(a), "a hit makes a the most recently used");
            ctx.build(c); // pushes b out, the least recently used
            assertEquals(2, ctx.programCache().programsInMemory());
            assertSame(first, ctx.build(a));
            assertEquals(new ProgramCache.Stats(2, 0, 3, 3), ctx.programCache().stats());
            ctx.build(b); // from disk again, pushing c out
            ctx.build(c); // and c pushes a out, whose kernel and program object must go on working
            assertEquals(new ProgramCache.Stats(2, 2, 3, 3), ctx.programCache().stats());
            DeviceBuffer y = ctx.upload("y", new float[] {1, 2, 3});
            made.args(y, 2.0f).launch(3);
            assertArrayEquals(new float[] {2, 4, 6}, y.downloadFloats(), "a kernel of a released program");
            assertEquals(List.of("scale"), first.kernelNames());
            assertScales(ctx, first);
            assertEquals(3, ctx.programCache().stats().diskHits(), "the released program's kernel came from the cache");
        }
    }

    @Test
    void withoutADiskCacheAPushedOutProgramIsCompiledAgainWhenAskedForAKernel() {
        try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.memoryOnly(), 1)) {
            Program first = ctx.build(SCALE);
            ctx.build(SCALE + "// other\n");
            assertScales(ctx, first);
            assertEquals(3, ctx.programCache().stats().compiles());
        }
    }

    @Test
    void kernelNamesAreReadFromTheSourceWithoutComments() {
        assertEquals(java.util.Set.of("a", "gemm"), KernelNames.declaredIn("""
                // __kernel void commented(int x)
                /* __kernel void alsoCommented() { } */
                __kernel void a(__global float* y) { }
                __kernel __attribute__((reqd_work_group_size(8, 8, 1)))
                void gemm(const int m) { }
                void helper(int x) { }
                """));
    }

    @Test
    void cacheOffWritesNothing() throws IOException {
        Path home = cacheDir.resolve("home");
        CacheSettings off = CacheSettings.fromEnvironment(
                java.util.Map.of(CacheSettings.ENV_CACHE, "off", CacheSettings.ENV_CACHE_DIR, cacheDir.toString()),
                home.toString());
        assertTrue(off.diskDirectory().isEmpty());
        try (DeviceContext ctx = DeviceContext.open(device, off)) {
            ctx.build(SCALE);
            ctx.build(SCALE);
            assertEquals(new ProgramCache.Stats(1, 0, 1, 0), ctx.programCache().stats());
        }
        try (Stream<Path> all = Files.walk(cacheDir)) {
            assertEquals(List.of(cacheDir), all.toList(), "nothing written anywhere");
        }
    }

    @Test
    void anUnwritableCacheFolderDoesNotFailTheBuildAndWarnsOncePerRun() throws IOException {
        Path notAFolder = cacheDir.resolve("file");
        Files.writeString(notAFolder, "a file where the cache folder should be");
        List<String> warnings = new java.util.ArrayList<>();
        java.util.function.Consumer<String> saved = Warnings.redirect(warnings::add);
        try {
            for (int context = 0; context < 2; context++) {
                try (DeviceContext ctx = DeviceContext.open(device, CacheSettings.onDisk(notAFolder.resolve("kernels")))) {
                    assertScales(ctx, ctx.build(SCALE));
                    ctx.build(SCALE, "-cl-fast-relaxed-math");
                    assertEquals(0, ctx.programCache().stats().diskWrites());
                }
            }
        } finally {
            Warnings.redirect(saved);
        }
        assertEquals(1, warnings.size(), "four programs, two contexts, one warning: " + warnings);
        assertTrue(warnings.get(0).startsWith("arcgrad: warning: cannot write the kernel cache in " + notAFolder.resolve("kernels")),
                warnings.get(0));
    }

    private static void assertScales(DeviceContext ctx, Program program) {
        DeviceBuffer y = ctx.upload("y", new float[] {1, 2, 3});
        program.kernel("scale").args(y, 2.0f).launch(3);
        assertArrayEquals(new float[] {2, 4, 6}, y.downloadFloats());
    }

    private static byte[] flipLastByte(byte[] good) {
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 0x5a;
        return bad;
    }

    private List<Path> cacheFiles() {
        try (Stream<Path> files = Files.list(cacheDir)) {
            List<Path> list = files.sorted().toList();
            assertFalse(list.stream().anyMatch(p -> p.toString().endsWith(".arcgrad-tmp")), list.toString());
            return list;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
