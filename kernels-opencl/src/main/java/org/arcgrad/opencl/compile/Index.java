package org.arcgrad.opencl.compile;

import org.arcgrad.autodiff.Shape;

/**
 * Where, inside a generated kernel, a node is being read: its shape and the element as a
 * symbolic linear offset (row-major) or per-axis indices, each derived from the other on demand.
 * View ops (broadcast, reshape, transpose, the reduction loop) map an Index to the Index of their
 * operand, so views cost index arithmetic, never a copy.
 */
final class Index {
    final Shape shape;
    private Ix linear;
    private Ix[] multi;

    private Index(Shape shape, Ix linear, Ix[] multi) {
        this.shape = shape;
        this.linear = linear;
        this.multi = multi;
    }

    static Index linear(Shape shape, Ix linear) {
        return new Index(shape, linear, null);
    }

    static Index multi(Shape shape, Ix[] multi) {
        return new Index(shape, null, multi);
    }

    Ix linear() {
        if (linear == null) {
            int[] st = shape.strides();
            Ix l = Ix.constant(0);
            for (int k = 0; k < multi.length; k++) {
                l = l.plus(multi[k].times(st[k]));
            }
            linear = l;
        }
        return linear;
    }

    Ix[] multi() {
        if (multi == null) {
            int[] st = shape.strides();
            Ix[] m = new Ix[shape.rank()];
            for (int k = 0; k < m.length; k++) {
                m[k] = linear.div(st[k]).mod(shape.dim(k));
            }
            multi = m;
        }
        return multi.clone();
    }

    /** The index of an operand of shape {@code from} that broadcasts to this shape. */
    Index broadcastFrom(Shape from) {
        if (from.equals(shape)) {
            return this;
        }
        if (from.numel() == 1) {
            return linear(from, Ix.constant(0));
        }
        Ix[] out = multi();
        int off = shape.rank() - from.rank();
        Ix[] m = new Ix[from.rank()];
        for (int k = 0; k < m.length; k++) {
            m[k] = from.dim(k) == 1 ? Ix.constant(0) : out[k + off];
        }
        return multi(from, m);
    }

    /** The index of a reshape's operand: reshapes keep the row-major order, so the linear offset carries over. */
    Index reshapeFrom(Shape from) {
        return linear(from, linear());
    }

    /** The index of a transpose's operand (the last two axes swapped back). */
    Index transposeFrom(Shape from) {
        Ix[] m = multi();
        int r = m.length;
        Ix t = m[r - 1];
        m[r - 1] = m[r - 2];
        m[r - 2] = t;
        return multi(from, m);
    }

    /** The index of a permute's operand: its axis perm[i] is this index's axis i. */
    Index permuteFrom(Shape from, int[] perm) {
        Ix[] m = multi();
        Ix[] d = new Ix[m.length];
        for (int i = 0; i < perm.length; i++) {
            d[perm[i]] = m[i];
        }
        return multi(from, d);
    }

    /** The index of a reduction's operand: this (reduced, size-1) index with {@code axis} set to the loop variable. */
    Index reductionFrom(Shape from, int axis, Ix loop) {
        Ix[] m = multi();
        m[axis] = loop;
        return multi(from, m);
    }

    /** The index with the last axis dropped (a one-hot's labels). */
    Index withoutLastAxis(Shape from) {
        Ix[] m = multi();
        Ix[] d = new Ix[m.length - 1];
        System.arraycopy(m, 0, d, 0, d.length);
        return multi(from, d);
    }

    Ix lastAxis() {
        Ix[] m = multi();
        return m[m.length - 1];
    }

    /** Text for common-subexpression keys: the linear offset, so equal elements reached by different views agree. */
    String key() {
        return linear().c();
    }
}
