package org.arcgrad.arcface.npy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every file we do not read is refused with a message that names the file and says what is wrong
 * with it in words a user can act on.
 */
class NpyRefusalTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            fortran_f8_2x3.npy          | Fortran (column-major) order   | np.ascontiguousarray
            bigendian_f8.npy            | '>f8' is big-endian            | <f8 (float64)
            bool.npy                    | '|b1' (bool) is not supported  | accepted: <f4 (float32), <f8 (float64), <i4 (int32), <i8 (int64)
            complex128.npy              | '<c16' (complex128)            | accepted:
            float16.npy                 | '<f2' (float16)                | accepted:
            uint8.npy                   | '|u1' (uint8)                  | accepted:
            structured.npy              | structured dtype               | accepted:
            truncated_f8_3x4.npy        | truncated                      | needs 96 bytes of data, found 76
            trailing_f8_3x4.npy         | trailing bytes                 | needs 96 bytes of data, found 100 (4 extra)
            bad_magic.npy               | not an NPY file                | zip archive
            short_preamble.npy          | file ends after 9 bytes        | preamble
            lying_header_length.npy     | header length field says 5000  | only 142 bytes follow the preamble
            nonascii_header.npy         | header byte 0xe9               | not ASCII
            unparseable_header.npy      | not a Python dict literal      | found the end of the header
            missing_shape_key.npy       | wrong keys                     | missing 'shape'
            negative_shape.npy          | shape (3, -1)                  | negative dimension
            too_many_elements.npy       | 4294967296 elements            | more than a Java array can hold
            version_4.npy               | version 4.0 is not supported   | 1.0, 2.0, 3.0
            """)
    void refusedWithFileAndProblemInTheMessage(String name, String problem, String detail) {
        Path file = NpyTestFiles.path(name);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(file));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file.toString() + ": "), "names the file: " + msg);
        assertTrue(msg.contains(problem), "says '" + problem + "': " + msg);
        assertTrue(msg.contains(detail), "says '" + detail + "': " + msg);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            fortran_f8_2x3.npy      | Fortran
            truncated_f8_3x4.npy    | truncated
            lying_header_length.npy | header length field
            """)
    void headerOnlyReadRefusesTheSameFiles(String name, String problem) {
        Path file = NpyTestFiles.path(name);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.readHeader(file));
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(problem), e.getMessage());
    }
}
