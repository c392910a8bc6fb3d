package org.arcgrad.opencl.gemm;

/**
 * OpenCL C spelling of fp32 vectors of width 1, 2, 4, 8 or 16, so that width 1 renders as plain
 * {@code float} code instead of the non-existent {@code float1}/{@code vload1}.
 */
final class Vectors {
    private static final String LANE_DIGITS = "0123456789abcdef";

    private Vectors() {
    }

    static boolean isValidWidth(int width) {
        return width == 1 || width == 2 || width == 4 || width == 8 || width == 16;
    }

    static String type(int width) {
        return width == 1 ? "float" : "float" + width;
    }

    /** A load of {@code width} consecutive floats starting at pointer expression {@code pointer}. */
    static String load(int width, String pointer) {
        return width == 1 ? "*(" + pointer + ")" : "vload" + width + "(0, " + pointer + ")";
    }

    /** Lane {@code lane} of vector variable {@code name}. */
    static String lane(int width, String name, int lane) {
        return width == 1 ? name : name + ".s" + LANE_DIGITS.charAt(lane);
    }

    /** A vector with every lane equal to scalar expression {@code scalar}. */
    /** The int vector (0, 1, …, width − 1): each lane's index. */
    static String laneIndices(int width) {
        StringBuilder b = new StringBuilder("(int" + width + ")(");
        for (int v = 0; v < width; v++) {
            b.append(v == 0 ? "" : ", ").append(v);
        }
        return b.append(')').toString();
    }

    static String broadcast(int width, String scalar) {
        return width == 1 ? scalar : "(" + type(width) + ")(" + scalar + ")";
    }

    /** A vector literal from {@code width} scalar expressions. */
    static String literal(String... lanes) {
        return lanes.length == 1 ? lanes[0] : "(" + type(lanes.length) + ")(" + String.join(", ", lanes) + ")";
    }

    /** The sum of all lanes of a vector expression, through the helpers of {@link #horizontalSumHelpers}. */
    static String horizontalSum(String prefix, int width, String name) {
        if (width == 1) {
            return name;
        }
        return prefix + "_hsum" + width + "(" + name + ")";
    }

    /**
     * Helper functions that {@link #horizontalSum} refers to, for every width up to {@code width}:
     * a pairwise tree (fewer rounding steps than a serial sum) that adds lane i and lane i + w/2,
     * then halves again, the order of hsum(v.lo + v.hi). It is spelled with lane accessors, not
     * .lo/.hi: Oclgrind 21.10 takes the half-vector shuffles of an unoptimized build for
     * uninitialized values and reports every store of the sum.
     */
    static String horizontalSumHelpers(String prefix, int width) {
        StringBuilder s = new StringBuilder();
        for (int w = 2; w <= width; w *= 2) {
            java.util.List<String> terms = new java.util.ArrayList<>();
            for (int lane = 0; lane < w; lane++) {
                terms.add(lane(w, "v", lane));
            }
            while (terms.size() > 1) {
                int half = terms.size() / 2;
                java.util.List<String> sums = new java.util.ArrayList<>();
                for (int i = 0; i < half; i++) {
                    sums.add(half == 1 ? terms.get(i) + " + " + terms.get(i + half) : "(" + terms.get(i) + " + " + terms.get(i + half) + ")");
                }
                terms = sums;
            }
            s.append("float ").append(prefix).append("_hsum").append(w).append("(const float").append(w)
                .append(" v) { return ").append(terms.get(0)).append("; }\n");
        }
        return s.toString();
    }
}
