package org.arcgrad.opencl.fused;

import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;

/**
 * The shapes a {@link ClassRegion}'s values take, and how a chunk of classes cuts each of them.
 *
 * <p>Most heads have one column per class. A sub-center head has K: its product x·Wᵀ is [N, C·K]
 * with W [C·K, D] in class-major order (row c·K + k is centre k of class c), viewed as [N, C, K]
 * and reduced over the centres to [N, C]. Every value of the region is class-major in the same
 * way, so that the chunk of classes [c0, c0 + w) is always one contiguous run of each row (or of
 * the whole value, for W-sized values): elements c0·e to (c0 + w)·e with e the value's elements
 * per class ({@link #elementsPerClass}).
 *
 * @param rows    N
 * @param classes C, the axis that is chunked
 * @param centres K, columns per class in the widest part of the region (1 for most heads)
 */
public record ClassAxis(int rows, int classes, int centres) {
    public ClassAxis {
        if (rows < 1 || classes < 1 || centres < 1) {
            throw new IllegalArgumentException("a class axis has rows, classes and centres ≥ 1, not " + rows + ", " + classes
                    + ", " + centres);
        }
    }

    /** Columns per class of a width: 1 for C, K for C·K, else 0 (not a width of this axis). */
    private int per(int width) {
        return width == classes ? 1 : width == classes * centres ? centres : 0;
    }

    /**
     * Whether {@code s} is the shape of a value of the N×C part: [N, C] or [N, C·K], or the view
     * [N, C, 1] or [N, C, K] in which a reduction over the centres runs.
     */
    public boolean isMemberShape(Shape s) {
        return s.rank() == 2 ? s.dim(0) == rows && per(s.dim(1)) > 0
                : s.rank() == 3 && s.dim(0) == rows && s.dim(1) == classes && (s.dim(2) == 1 || s.dim(2) == centres);
    }

    /** [N, C] or [N, C·K]: a member that reductions along its rows and products can read. */
    public boolean isMatrixMemberShape(Shape s) {
        return s.rank() == 2 && isMemberShape(s);
    }

    /** A row value [N, 1]: the same for every class of a row. */
    public boolean isRowValue(Tensor t) {
        return t.shape().equals(Shape.of(rows, 1));
    }

    /** A column value [C] or [1, C] (or [C·K], [1, C·K]): one value per class (or per centre). */
    public boolean isColumnValue(Tensor t) {
        Shape s = t.shape();
        return s.rank() == 1 ? per(s.dim(0)) > 0 : s.rank() == 2 && s.dim(0) == 1 && per(s.dim(1)) > 0;
    }

    /** A value with one row per class or per centre, [C, k] or [C·K, k]: W and the values computed from it row by row. */
    public boolean isPerClassShape(Shape s) {
        return s.rank() == 2 && per(s.dim(0)) > 0;
    }

    /**
     * Elements per class of a class-indexed value, its size / C (a column value or column sum
     * [1, C·K]: K; a [C·K, D] matrix: K·D).
     */
    public long elementsPerClass(Shape s) {
        return s.numel() / classes;
    }

    /** Where the chunk from class {@code c0} starts in a class-indexed value of shape {@code s}: c0 elements per class. */
    public long startOf(Shape s, int c0) {
        return c0 * elementsPerClass(s);
    }

    /** A member's shape cut to {@code width} classes: [N, C·K] → [N, width·K], [N, C, K] → [N, width, K]. */
    public Shape chunkOfMember(Shape s, int width) {
        int[] dims = s.dims().clone();
        dims[1] = s.rank() == 3 ? width : width * per(s.dim(1));
        return Shape.of(dims);
    }

    /**
     * A class-indexed value's shape cut to {@code width} classes: [C·K, D] → [width·K, D],
     * [C] → [width], [1, C] → [1, width].
     */
    public Shape chunkOfClassIndexed(Shape s, int width) {
        int[] dims = s.dims().clone();
        int axis = s.rank() == 2 && s.dim(0) == 1 && per(s.dim(1)) > 0 ? 1 : 0;
        if (per(dims[axis]) == 0) {
            throw new IllegalArgumentException("internal error: " + s + " has no class axis of " + this);
        }
        dims[axis] = width * per(dims[axis]);
        return Shape.of(dims);
    }
}
