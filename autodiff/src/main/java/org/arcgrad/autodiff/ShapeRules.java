package org.arcgrad.autodiff;

import java.util.Arrays;

/** Shape rules of the ops that are not plain broadcasting; each throws with the reason when shapes do not fit. */
final class ShapeRules {
    private ShapeRules() {
    }

    static Shape fromAttrs(Shape[] in, Attrs a) {
        return a.shape();
    }

    static Shape broadcast(Shape[] in, Attrs a) {
        Shape out = in[0];
        for (int i = 1; i < in.length; i++) {
            Shape next = Shape.broadcast(out, in[i]);
            if (next == null) {
                throw new IllegalArgumentException("shapes do not broadcast");
            }
            out = next;
        }
        return out;
    }

    static Shape reshape(Shape[] in, Attrs a) {
        Shape to = a.shape();
        if (to.numel() != in[0].numel()) {
            throw new IllegalArgumentException("cannot reshape " + in[0].numel() + " elements to " + to);
        }
        return to;
    }

    static Shape expand(Shape[] in, Attrs a) {
        Shape to = a.shape();
        if (!in[0].broadcastsTo(to)) {
            throw new IllegalArgumentException("cannot broadcast to " + to);
        }
        return to;
    }

    static Shape transpose(Shape[] in, Attrs a) {
        Shape s = in[0];
        if (s.rank() < 2) {
            throw new IllegalArgumentException("transpose needs rank 2 or more");
        }
        int[] d = s.dims();
        int r = d.length;
        int t = d[r - 1];
        d[r - 1] = d[r - 2];
        d[r - 2] = t;
        return Shape.of(d);
    }

    static Shape reduce(Shape[] in, Attrs a) {
        return in[0].with(in[0].axis(a.integer(0)), 1);
    }

    static Shape matmul(Shape[] in, Attrs a) {
        Shape x = in[0];
        Shape y = in[1];
        if (x.rank() != 2 || y.rank() != 2) {
            throw new IllegalArgumentException("both operands must be matrices (rank 2)");
        }
        if (x.dim(1) != y.dim(0)) {
            throw new IllegalArgumentException("inner dimensions differ (" + x.dim(1) + " vs " + y.dim(0) + ")");
        }
        return Shape.of(x.dim(0), y.dim(1));
    }

    static Shape oneHot(Shape[] in, Attrs a) {
        int classes = a.integer(0);
        if (classes < 1) {
            throw new IllegalArgumentException("class count must be at least 1, got " + classes);
        }
        int[] d = Arrays.copyOf(in[0].dims(), in[0].rank() + 1);
        d[d.length - 1] = classes;
        return Shape.of(d);
    }

    static Shape gatherRows(Shape[] in, Attrs a) {
        if (in[0].rank() != 2) {
            throw new IllegalArgumentException("the rows are taken from a matrix [C, D], got rank " + in[0].rank());
        }
        if (in[1].rank() != 1) {
            throw new IllegalArgumentException("the indices must be a vector [N], got rank " + in[1].rank());
        }
        return Shape.of(in[1].dim(0), in[0].dim(1));
    }
}
