package org.arcgrad.arcface.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an MLP embedding backbone: for each hidden width, Linear → BatchNorm → activation →
 * Dropout (the last two as configured), then a Linear to the embedding width, followed by a
 * BatchNorm (insightface's embedding BN; on by default) and no activation, so embeddings can
 * point anywhere on the sphere.
 *
 * <pre>{@code
 * Sequential model = Mlp.builder(784).hidden(512, 256).embedding(128).build();
 * // fc1 784→512, bn1, relu, fc2 512→256, bn2, relu, fc3 256→128, bn3
 * }</pre>
 *
 * Weights start Kaiming-uniform with the activation's gain (or Xavier-uniform), biases at 0.
 */
public final class Mlp {
    public enum Activation {
        RELU, PRELU
    }

    public enum WeightInit {
        KAIMING, XAVIER
    }

    private final int inputs;
    private final List<Integer> hidden = new ArrayList<>();
    private int embedding = 128;
    private boolean batchNorm = true;
    private boolean embeddingBatchNorm = true;
    private Activation activation = Activation.RELU;
    private double dropout;
    private WeightInit init = WeightInit.KAIMING;

    private Mlp(int inputs) {
        this.inputs = inputs;
    }

    public static Mlp builder(int inputs) {
        return new Mlp(inputs);
    }

    public Mlp hidden(int... widths) {
        for (int w : widths) {
            hidden.add(w);
        }
        return this;
    }

    public Mlp embedding(int width) {
        this.embedding = width;
        return this;
    }

    /** Batch norm after each hidden Linear (default on). */
    public Mlp batchNorm(boolean on) {
        this.batchNorm = on;
        return this;
    }

    /** Batch norm after the embedding Linear (default on). */
    public Mlp embeddingBatchNorm(boolean on) {
        this.embeddingBatchNorm = on;
        return this;
    }

    public Mlp activation(Activation a) {
        this.activation = a;
        return this;
    }

    /** Dropout probability after each hidden activation; 0 (the default) leaves dropout out. */
    public Mlp dropout(double p) {
        this.dropout = p;
        return this;
    }

    public Mlp init(WeightInit i) {
        this.init = i;
        return this;
    }

    public Sequential build() {
        List<Layer> layers = new ArrayList<>();
        int in = inputs;
        int k = 1;
        for (int width : hidden) {
            layers.add(new Linear("fc" + k, in, width, weightInit(), Init.zeros()));
            if (batchNorm) {
                layers.add(new BatchNorm("bn" + k, width));
            }
            layers.add(activation == Activation.RELU ? new Relu() : new PRelu("act" + k, 1));
            if (dropout > 0) {
                layers.add(new Dropout("drop" + k, dropout));
            }
            in = width;
            k++;
        }
        layers.add(new Linear("fc" + k, in, embedding, weightInit(), Init.zeros()));
        if (embeddingBatchNorm) {
            layers.add(new BatchNorm("bn" + k, embedding));
        }
        return new Sequential(layers);
    }

    private Initializer weightInit() {
        double gain = activation == Activation.RELU ? Init.RELU_GAIN
                : Math.sqrt(2 / (1 + PRelu.DEFAULT_INIT * PRelu.DEFAULT_INIT));
        return init == WeightInit.KAIMING ? Init.kaimingUniform(gain) : Init.xavierUniform(gain);
    }
}
