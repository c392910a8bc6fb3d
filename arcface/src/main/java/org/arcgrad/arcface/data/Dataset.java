package org.arcgrad.arcface.data;

import java.util.List;
import java.util.Objects;

/**
 * Samples held in memory: {@code features} row-major, size × dim, and one label per row. Built once
 * by a loader and then only read; the accessors return the arrays themselves, not copies, because
 * they are large (Fashion-MNIST's training features are 188 MB), so callers must not modify them.
 */
public final class Dataset implements Samples {
    private final String name;
    private final float[] features;
    private final int[] labels;
    private final int dim;
    private final List<String> classNames;
    private final ImageLayout images;

    /**
     * @param name       what the data is, for messages and reports (e.g. "Fashion-MNIST train")
     * @param features   size × dim floats, row-major
     * @param labels     one label per row, each in 0 .. classNames.size()−1
     * @param dim        features per row
     * @param classNames one name per class; their number is the number of classes
     */
    public Dataset(String name, float[] features, int[] labels, int dim, List<String> classNames) {
        this(name, features, labels, dim, classNames, null);
    }

    /** As above, for samples that are images laid out as {@code images} says (null: not images). */
    public Dataset(String name, float[] features, int[] labels, int dim, List<String> classNames, ImageLayout images) {
        this.name = Objects.requireNonNull(name, "name");
        this.images = images;
        if (images != null && images.pixels() != dim) {
            throw new IllegalArgumentException(name + ": " + images.side() + "×" + images.side() + " images are not " + dim + " features");
        }
        this.features = Objects.requireNonNull(features, "features");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.classNames = List.copyOf(classNames);
        this.dim = dim;
        if (dim <= 0) {
            throw new IllegalArgumentException(name + ": dim must be positive, got " + dim);
        }
        if (this.classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": at least one class is needed");
        }
        if ((long) labels.length * dim != features.length) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels × dim " + dim + " = "
                    + (long) labels.length * dim + " features expected, got " + features.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= this.classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i + " is outside 0.."
                        + (this.classNames.size() - 1));
            }
        }
    }

    public String name() {
        return name;
    }

    /** The features, row-major size × dim: the array itself, not a copy. */
    public float[] features() {
        return features;
    }

    /** The labels: the array itself, not a copy. */
    public int[] labels() {
        return labels;
    }

    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int classes() {
        return classNames.size();
    }

    @Override
    public void features(int[] indices, int count, float[] into) {
        for (int r = 0; r < count; r++) {
            int i = Objects.checkIndex(indices[r], labels.length);
            System.arraycopy(features, i * dim, into, r * dim, dim);
        }
    }

    @Override
    public void labels(int[] indices, int count, int[] into) {
        for (int r = 0; r < count; r++) {
            into[r] = labels[Objects.checkIndex(indices[r], labels.length)];
        }
    }

    @Override
    public java.util.Optional<ImageLayout> images() {
        return java.util.Optional.ofNullable(images);
    }

    @Override
    public String className(int label) {
        return classNames.get(label);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " samples × " + dim + " features, " + classes() + " classes)";
    }
}
