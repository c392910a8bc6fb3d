package org.arcgrad.arcface.data;

import java.util.Arrays;

/**
 * The samples of a set whose label is below a bound, as a set of their own (same labels, in the
 * set's order): evaluation scores a model with a million classes on its first few thousand, where
 * nearest-centre accuracy over all of them would cost hours. The labels are read once, a block at
 * a time, so a set of a hundred million samples needs no array of that length.
 */
public final class FirstClasses implements Samples {
    private static final int BLOCK = 1 << 16;

    private final Samples all;
    private final int classes;
    private final int[] kept;

    private FirstClasses(Samples all, int classes, int[] kept) {
        this.all = all;
        this.classes = classes;
        this.kept = kept;
    }

    /** The samples of {@code all} with labels in [0, {@code classes}); {@code all} itself when it has no more classes than that. */
    public static Samples of(Samples all, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be ≥ 1, got " + classes);
        }
        if (all.classes() <= classes) {
            return all;
        }
        int[] indices = new int[BLOCK];
        int[] labels = new int[BLOCK];
        int[] kept = new int[1024];
        int n = 0;
        for (int start = 0; start < all.size(); start += BLOCK) {
            int count = Math.min(BLOCK, all.size() - start);
            for (int i = 0; i < count; i++) {
                indices[i] = start + i;
            }
            all.labels(indices, count, labels);
            for (int i = 0; i < count; i++) {
                if (labels[i] < classes) {
                    if (n == kept.length) {
                        kept = Arrays.copyOf(kept, 2 * n);
                    }
                    kept[n++] = start + i;
                }
            }
        }
        return new FirstClasses(all, classes, Arrays.copyOf(kept, n));
    }

    @Override
    public int size() {
        return kept.length;
    }

    @Override
    public int dim() {
        return all.dim();
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public void features(int[] indices, int count, float[] into) {
        all.features(inAll(indices, count), count, into);
    }

    @Override
    public void labels(int[] indices, int count, int[] into) {
        all.labels(inAll(indices, count), count, into);
    }

    private int[] inAll(int[] indices, int count) {
        int[] t = new int[count];
        for (int i = 0; i < count; i++) {
            t[i] = kept[indices[i]];
        }
        return t;
    }

    @Override
    public String className(int label) {
        return all.className(label);
    }

    @Override
    public String toString() {
        return all + ", the " + size() + " samples of its first " + classes + " classes";
    }

    @Override
    public java.util.Optional<ImageLayout> images() {
        return all.images();
    }
}
