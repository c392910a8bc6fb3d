package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Philox-4x32-10 against the known-answer vectors published with Random123 (kat_vectors). */
class PhiloxTest {
    @Test
    void knownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                Philox.block(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                Philox.block(-1, -1, -1, -1, -1, -1));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void uniformIsTheTop24BitsAndStaysBelowOne() {
        assertEquals(0.0, Philox.uniform(0x000000ff));
        assertEquals(1 - 0x1p-24, Philox.uniform(-1));
        assertEquals(0.5, Philox.uniform(0x80000000));
    }

    @Test
    void normalIsFiniteAtTheExtremesOfItsWords() {
        // u1 = 2^-24 (the smallest): sqrt(-2 ln 2^-24) = 5.77; u1 = 1: radius 0
        assertEquals(Math.sqrt(-2 * Math.log(0x1p-24)), Philox.normal(0, 0), 1e-12);
        assertEquals(0.0, Philox.normal(-1, 0), 0.0);
        assertTrue(Double.isFinite(Philox.normal(0, -1)));
    }
}
