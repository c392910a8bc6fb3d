package org.arcgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Attrs, Shape and NDArray: equality, hashing, their printed forms and their edges. */
class ValueObjectsTest {
    @Test
    void attrsCompareByEveryPart() {
        Attrs a = new Attrs(new double[] {0.5}, new int[] {2}, "x");
        assertEquals(a, new Attrs(new double[] {0.5}, new int[] {2}, "x"));
        assertEquals(a.hashCode(), new Attrs(new double[] {0.5}, new int[] {2}, "x").hashCode());
        assertNotEquals(a, new Attrs(new double[] {0.25}, new int[] {2}, "x"));
        assertNotEquals(a, new Attrs(new double[] {0.5}, new int[] {3}, "x"));
        assertNotEquals(a, new Attrs(new double[] {0.5}, new int[] {2}, "y"));
        assertNotEquals(a, new Attrs(new double[] {0.5}, new int[] {2}, null));
        assertNotEquals(Attrs.scalars(1, 2).hashCode(), Attrs.ints(1, 2).hashCode());
        assertNotEquals(a, "x");
    }

    @Test
    void attrsPrintWhatTheyHold() {
        assertEquals("", Attrs.NONE.toString());
        assertEquals("[0.5, 2.0]", Attrs.scalars(0.5, 2).toString());
        assertEquals("[3, 4]", Attrs.ints(3, 4).toString());
        assertEquals("\"x\" [1.0] [2]", new Attrs(new double[] {1}, new int[] {2}, "x").toString());
        assertEquals("\"x\"", new Attrs(new double[0], new int[0], "x").toString());
        assertEquals("[1.0] [2]", new Attrs(new double[] {1}, new int[] {2}, null).toString());
    }

    @Test
    void shapeAxesSizesAndBroadcasting() {
        Shape s = Shape.of(2, 3);
        assertEquals(0, s.axis(-2));
        assertEquals(1, s.axis(1));
        assertThrows(IllegalArgumentException.class, () -> s.axis(2));
        assertThrows(IllegalArgumentException.class, () -> s.axis(-3));
        assertEquals(6, s.size());
        assertEquals(1, Shape.SCALAR.size());
        assertEquals(Integer.MAX_VALUE - 8, Shape.of(Integer.MAX_VALUE - 8).size());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(Integer.MAX_VALUE - 7).size());
        assertTrue(Shape.of(3).broadcastsTo(s));
        assertFalse(s.broadcastsTo(Shape.of(3)));
        assertFalse(Shape.of(2).broadcastsTo(s));
        assertEquals(Shape.of(2, 3).hashCode(), s.hashCode());
        assertNotEquals(Shape.of(3, 2).hashCode(), s.hashCode());
    }

    @Test
    void ndarrayIndexingPrintingAndUniformRange() {
        NDArray a = NDArray.of(Shape.of(2, 3), 0, 1, 2, 3, 4, 5);
        assertEquals(5, a.get(1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(0, 3), "a column index past its axis, inside the data");
        assertThrows(IllegalArgumentException.class, () -> a.get(1));
        assertEquals("NDArray[2, 3] [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]", a.toString());
        assertEquals("NDArray[9] [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ...]", NDArray.zeros(Shape.of(9)).toString());
        assertEquals("NDArray[8] [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]", NDArray.zeros(Shape.of(8)).toString());
        NDArray u = NDArray.uniform(Shape.of(1000), 2, 3, new Random(1));
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double v : u.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(lo >= 2 && lo < 2.01 && hi < 3 && hi > 2.99, lo + " .. " + hi);
    }
}
