package org.arcgrad.opencl.compile;

/**
 * Explicit SIMD for CPU drivers: a work-item computes {@code width} neighbouring elements along
 * an axis at once, as an OpenCL vector (float8, float16). The index variable {@code var} is the
 * first lane's position on that axis; a read whose offset moves with it by 1 becomes a vector load,
 * one that does not move becomes a broadcast, and anything else cannot be vectorized.
 */
record Lanes(int width, String var) {
    /** The C vector type of floats, e.g. float16. */
    String floats() {
        return "float" + width;
    }

    String ints() {
        return "int" + width;
    }

    /** (intN)(0, 1, ..., N − 1): each lane's offset from the first. */
    String laneOffsets() {
        StringBuilder b = new StringBuilder("(" + ints() + ")(");
        for (int k = 0; k < width; k++) {
            b.append(k == 0 ? "" : ",").append(k);
        }
        return b.append(")").toString();
    }

    /** A value broadcast to every lane. */
    String splat(String scalar) {
        return "((" + floats() + ")(" + scalar + "))";
    }

    /**
     * A vector comparison's lanes as 1.0 where it holds and 0.0 where not. select() reads each
     * lane's sign bit, which the OpenCL C specification fixes (true is -1 in a vector comparison);
     * a conversion of the negated comparison depends on the compiler's reading (Oclgrind 21.10
     * made 255 of it).
     */
    String mask(String condition) {
        return "select(" + splat("0.0f") + "," + splat("1.0f") + "," + condition + ")";
    }
}
