package org.arcgrad.arcface.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Headers as other writers spell them: any key order, double quotes, Python 2 longs, odd spacing. */
class NpyHeaderParserTest {
    private static NpyHeader parse(String text) throws NpyFormatException {
        return NpyHeaderParser.parse("h.npy", 1, 0, text);
    }

    @Test
    void keyOrderQuotesAndSpacingDoNotMatter() throws NpyFormatException {
        NpyHeader h = parse("{ \"shape\":(2,3) ,\"fortran_order\" : False,'descr':\"<i8\"}  \n");
        assertEquals(NpyDType.INT64, h.dtype());
        assertArrayEquals(new int[] {2, 3}, h.shape());
    }

    @Test
    void python2LongDimensionsAndListShapes() throws NpyFormatException {
        assertArrayEquals(new int[] {3, 4}, parse("{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 4L), }").shape());
        assertArrayEquals(new int[] {5}, parse("{'descr': '<f4', 'fortran_order': False, 'shape': [5], }").shape());
    }

    @Test
    void emptyTupleIsRankZero() throws NpyFormatException {
        NpyHeader h = parse("{'descr': '<f8', 'fortran_order': False, 'shape': (), }");
        assertEquals(0, h.shape().length);
        assertEquals(8, h.dataBytes());
    }

    @Test
    void fortranOrderIsHarmlessOnlyInNameButStillRefused() {
        // A 1-D Fortran-order array has the same bytes as C order, but numpy never writes one; being
        // strict keeps the rule simple to state.
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> parse("{'descr': '<f8', 'fortran_order': True, 'shape': (3,), }"));
        assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
    }

    @Test
    void wrongValueTypesAreNamed() {
        assertMessage("{'descr': 5, 'fortran_order': False, 'shape': (3,), }", "descr is 5");
        assertMessage("{'descr': '<f8', 'fortran_order': 'no', 'shape': (3,), }", "fortran_order is the string 'no'");
        assertMessage("{'descr': '<f8', 'fortran_order': False, 'shape': 3, }", "shape is 3");
        assertMessage("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 'a'), }", "holds the string 'a'");
        assertMessage("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 99999999999), }", "larger than 2147483647");
        assertMessage("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'extra': 1}", "unexpected 'extra'");
        assertMessage("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3,)}", "appears twice");
        assertMessage("['descr']", "not a dict");
        assertMessage("{'descr': '<f8', 'fortran_order': false, 'shape': (3,)}", "unknown name 'false'");
        assertMessage("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (3,)}", "(datetime64)");
    }

    private static void assertMessage(String header, String expected) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> parse(header));
        assertTrue(e.getMessage().startsWith("h.npy: ") && e.getMessage().contains(expected), e.getMessage());
    }
}
