package org.arcgrad.arcface.nn;

import java.util.Arrays;

/**
 * The usual initializations, with PyTorch's definitions (torch.nn.init). For a weight of shape
 * [out, in], fan_in = in and fan_out = out.
 * <ul>
 *   <li>Xavier (Glorot) uniform: U(−b, b), b = gain·sqrt(6 / (fan_in + fan_out)); normal: std = gain·sqrt(2 / (fan_in + fan_out)).</li>
 *   <li>Kaiming (He), fan_in mode: uniform U(−b, b), b = gain·sqrt(3 / fan_in); normal: std = gain / sqrt(fan_in);
 *       gain sqrt(2) for ReLU, sqrt(2 / (1 + a²)) for a leaky slope a.</li>
 * </ul>
 */
public final class Init {
    /** The ReLU gain, sqrt(2). */
    public static final double RELU_GAIN = Math.sqrt(2);

    private Init() {
    }

    public static Initializer constant(double value) {
        return (shape, random) -> {
            float[] v = new float[count(shape)];
            Arrays.fill(v, (float) value);
            return v;
        };
    }

    public static Initializer zeros() {
        return constant(0);
    }

    public static Initializer ones() {
        return constant(1);
    }

    public static Initializer uniform(double lo, double hi) {
        return (shape, random) -> {
            float[] v = new float[count(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (lo + (hi - lo) * random.nextDouble());
            }
            return v;
        };
    }

    public static Initializer normal(double std) {
        return (shape, random) -> {
            float[] v = new float[count(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (std * random.nextGaussian());
            }
            return v;
        };
    }

    public static Initializer xavierUniform(double gain) {
        return (shape, random) -> {
            double b = gain * Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
            return uniform(-b, b).values(shape, random);
        };
    }

    public static Initializer xavierNormal(double gain) {
        return (shape, random) -> normal(gain * Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape)))).values(shape, random);
    }

    public static Initializer kaimingUniform(double gain) {
        return (shape, random) -> {
            double b = gain * Math.sqrt(3.0 / fanIn(shape));
            return uniform(-b, b).values(shape, random);
        };
    }

    public static Initializer kaimingNormal(double gain) {
        return (shape, random) -> normal(gain / Math.sqrt(fanIn(shape))).values(shape, random);
    }

    /** fan_in of a weight: the product of all dimensions after the first (torch's rule). */
    static int fanIn(int[] shape) {
        int f = 1;
        for (int i = 1; i < shape.length; i++) {
            f *= shape[i];
        }
        return f;
    }

    static int fanOut(int[] shape) {
        return shape.length == 0 ? 1 : shape[0];
    }

    static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
