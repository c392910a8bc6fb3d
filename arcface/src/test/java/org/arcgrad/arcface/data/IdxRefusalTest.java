package org.arcgrad.arcface.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every broken IDX file is refused, plain and gzip alike, with a message that starts with the file
 * and says what is wrong in words a user can act on.
 */
class IdxRefusalTest {
    @TempDir
    Path dir;

    /** Content (before any compression) and the phrases its refusal must contain. */
    static Stream<Arguments> brokenContents() {
        return Stream.of(
                Arguments.of("bad magic", new byte[] {0x50, 0x4b, 3, 4, 0, 0, 0, 1, 9},
                        new String[] {"not an IDX file: bad magic", "00 00 <type> <rank>", "found 50 4b 03 04"}),
                Arguments.of("magic cut short", new byte[] {0, 0},
                        new String[] {"truncated header", "inside the 4-byte IDX magic"}),
                Arguments.of("unknown type code", IdxTestFiles.idx(0x07, new int[] {1}, new byte[] {1}),
                        new String[] {"unknown IDX type code 0x07", "known codes: 0x08 (unsigned byte)", "0x0E (float64)"}),
                Arguments.of("no dimensions", new byte[] {0, 0, 8, 0, 1},
                        new String[] {"say 0 dimensions", "at least 1"}),
                Arguments.of("dims cut short", new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0},
                        new String[] {"truncated header", "3 dimensions need 12 bytes after the magic, found 5"}),
                Arguments.of("zero dimension", IdxTestFiles.idx(0x08, new int[] {3, 0}, new byte[0]),
                        new String[] {"dimension 1 of [3, 0] is 0", "must be positive"}),
                Arguments.of("negative dimension", IdxTestFiles.idx(0x08, new int[] {-5, 2}, new byte[0]),
                        new String[] {"dimension 0 of [-5, 2] is -5", "must be positive"}),
                Arguments.of("too large for a Java array", IdxTestFiles.idx(0x0C, new int[] {65536, 65536}, new byte[0]),
                        new String[] {"dims [65536, 65536] hold 4294967296 elements", "more than a Java array can hold"}),
                Arguments.of("truncated bytes", IdxTestFiles.idx(0x08, new int[] {3, 4}, new byte[10]),
                        new String[] {"truncated:", "dims [3, 4] of 0x08 (unsigned byte) need 12 bytes of data, found 10"}),
                Arguments.of("truncated floats", IdxTestFiles.idx(0x0D, new int[] {3}, new byte[10]),
                        new String[] {"truncated:", "dims [3] of 0x0D (float32) need 12 bytes of data, found 10"}),
                Arguments.of("trailing bytes", IdxTestFiles.idx(0x08, new int[] {3, 4}, new byte[14]),
                        new String[] {"trailing bytes after the data", "need 12 bytes of data, found 14 (2 extra)"}));
    }

    static Stream<Arguments> brokenContentsPlainAndGzip() {
        return brokenContents().flatMap(a -> Stream.of(false, true).map(gzip -> {
            Object[] x = a.get();
            return Arguments.of(x[0], gzip, x[1], x[2]);
        }));
    }

    @ParameterizedTest(name = "{0}, gzip={1}")
    @MethodSource("brokenContentsPlainAndGzip")
    void refusedWithFileAndProblem(String caseName, boolean gzip, byte[] content, String[] phrases) throws Exception {
        Path file = IdxTestFiles.write(dir, caseName.replace(' ', '-') + (gzip ? ".gz" : ""), content, gzip);
        assertRefused(file, phrases);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void emptyContentRefused(boolean gzip) throws Exception {
        Path file = IdxTestFiles.write(dir, "empty", new byte[0], gzip);
        assertRefused(file, gzip ? "the gzip stream holds no data, not an IDX file" : "file is empty, not an IDX file");
    }

    @Test
    void gzipWhoseHeaderPromisesMoreThanDeflateCanHoldIsRefusedBeforeAllocating() throws Exception {
        // 2e9 bytes promised by a file of a few dozen bytes: refused without allocating 2 GB
        Path file = IdxTestFiles.write(dir, "liar.gz", IdxTestFiles.idx(0x08, new int[] {2_000_000_000}, new byte[3]), true);
        assertRefused(file, "truncated:", "need 2000000000 bytes of data, but a gzip file of", "1032-fold");
    }

    static Stream<Arguments> brokenGzipStreams() {
        byte[] good = IdxTestFiles.gzip(IdxTestFiles.unsignedBytes(new int[] {64}, ramp(64)));
        // the first deflate block header follows the 10-byte gzip header; block type 11 is reserved
        byte[] badBlockType = good.clone();
        badBlockType[10] |= 0x06;
        byte[] badCrc = good.clone();
        badCrc[good.length - 8] ^= 0x5a;
        byte[] badLength = good.clone();
        badLength[good.length - 4] ^= 0x01;
        byte[] badMethod = good.clone();
        badMethod[2] = 7;
        return Stream.of(
                Arguments.of("invalid deflate block", badBlockType, new String[] {"corrupt gzip stream", "invalid block type"}),
                Arguments.of("wrong CRC", badCrc, new String[] {"corrupt gzip stream", "Corrupt GZIP trailer"}),
                Arguments.of("wrong length trailer", badLength, new String[] {"corrupt gzip stream", "Corrupt GZIP trailer"}),
                Arguments.of("unknown compression method", badMethod, new String[] {"corrupt gzip stream: bad gzip header"}),
                Arguments.of("compressed data cut", Arrays.copyOf(good, good.length - 12),
                        new String[] {"truncated gzip stream: the compressed data ends early"}),
                Arguments.of("only the gzip magic", new byte[] {0x1f, (byte) 0x8b},
                        new String[] {"truncated gzip stream: the file ends inside the gzip header"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenGzipStreams")
    void brokenGzipStreamRefusedAsSuch(String caseName, byte[] fileBytes, String[] phrases) throws Exception {
        Path file = Files.write(dir.resolve(caseName.replace(' ', '-') + ".gz"), fileBytes);
        assertRefused(file, phrases);
    }

    private static void assertRefused(Path file, String... phrases) {
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file + ": "), "names the file: " + msg);
        for (String phrase : phrases) {
            assertTrue(msg.contains(phrase), "says '" + phrase + "': " + msg);
        }
    }

    private static int[] ramp(int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i * 37) & 0xff;
        }
        return v;
    }
}
