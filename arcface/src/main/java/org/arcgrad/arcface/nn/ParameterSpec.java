package org.arcgrad.arcface.nn;

import java.util.Arrays;
import java.util.Random;

/**
 * A named tensor a model or optimizer keeps between steps: its shape, how it starts, and whether
 * the optimizer trains it (weights, biases, BN scales) or it is state updated otherwise (BN
 * running statistics, momentum buffers). Names follow PyTorch's state_dict ("fc1.weight",
 * "bn1.running_mean"), so exported weights map onto a torch module by name.
 */
public record ParameterSpec(String name, int[] shape, boolean trainable, Initializer init) {
    public ParameterSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
        shape = shape.clone();
    }

    public static ParameterSpec trained(String name, Initializer init, int... shape) {
        return new ParameterSpec(name, shape, true, init);
    }

    public static ParameterSpec state(String name, Initializer init, int... shape) {
        return new ParameterSpec(name, shape, false, init);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int elements() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * The initial value for a run seeded with {@code seed}. Each parameter draws from its own
     * stream, derived from the seed and its name, so adding a layer leaves the others' values as
     * they were.
     */
    public float[] initialValue(long seed) {
        float[] v = init.values(shape, new Random(seed * 0x9E3779B97F4A7C15L + name.hashCode()));
        if (v.length != elements()) {
            throw new IllegalStateException(name + ": initializer gave " + v.length + " values for shape " + Arrays.toString(shape));
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape) && p.trainable == trainable;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (trainable ? "" : " (state)");
    }
}
