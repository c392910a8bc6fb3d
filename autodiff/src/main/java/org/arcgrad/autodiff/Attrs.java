package org.arcgrad.autodiff;

import java.util.Arrays;

/**
 * A node's constant attributes: scalar parameters (scale factor, exponent, clamp bounds, a
 * constant's value), integer parameters (an axis, a target shape, a class count) and a name
 * (for inputs and parameters).
 */
public record Attrs(double[] scalars, int[] ints, String name) {
    public static final Attrs NONE = new Attrs(new double[0], new int[0], null);

    public static Attrs scalars(double... s) {
        return new Attrs(s, new int[0], null);
    }

    public static Attrs ints(int... i) {
        return new Attrs(new double[0], i, null);
    }

    public double scalar(int i) {
        return scalars[i];
    }

    public int integer(int i) {
        return ints[i];
    }

    /** The integer attributes read as a shape (reshape, expand, constants and sources). */
    public Shape shape() {
        return Shape.of(ints);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attrs a && Arrays.equals(scalars, a.scalars) && Arrays.equals(ints, a.ints)
                && java.util.Objects.equals(name, a.name);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(scalars) + Arrays.hashCode(ints)) + java.util.Objects.hashCode(name);
    }

    /** Compact text for graph dumps; empty when there is nothing to say. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (name != null) {
            b.append('"').append(name).append('"');
        }
        if (scalars.length > 0) {
            b.append(b.length() > 0 ? " " : "").append(Arrays.toString(scalars));
        }
        if (ints.length > 0) {
            b.append(b.length() > 0 ? " " : "").append(Arrays.toString(ints));
        }
        return b.toString();
    }
}
