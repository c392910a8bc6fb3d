package org.arcgrad.arcface.nn;

import java.util.ArrayList;
import java.util.List;
import org.arcgrad.autodiff.Tensor;

/**
 * The small ResNet of issue 11, exactly, so that a PyTorch peer can build the same network: on
 * single-channel images, stem conv3×3(1 → 16, padding 1) → BN2d → ReLU; basic blocks
 * (16 → 16, stride 1), (16 → 32, stride 2), (32 → 64, stride 2) ({@link BasicBlock}); then
 * BN2d(64) → flatten → Linear(64·H/4·W/4 → embedding) → BatchNorm1d(embedding). On 28×28
 * Fashion-MNIST that is 64·7·7 = 3136 features into the linear layer. Convolutions have no bias;
 * the linear layer does (torch's default). A layer of its own (its pieces in order inside), so
 * that what exports it knows the image it was built for.
 */
public final class ResNet implements Layer {
    private final ImageShape image;
    private final Sequential layers;

    /** The network for images of {@code image} (one channel) and an embedding of {@code embedding}. */
    public ResNet(ImageShape image, int embedding) {
        this.image = image;
        this.layers = build(image, embedding);
    }

    /** The images it takes, flattened, as its input features. */
    public ImageShape image() {
        return image;
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        return layers.forward(x, pass);
    }

    @Override
    public int outFeatures(int in) {
        return layers.outFeatures(in);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return layers.parameters();
    }

    @Override
    public String describe() {
        return layers.describe();
    }

    private static Sequential build(ImageShape image, int embedding) {
        if (image.channels() != 1) {
            throw new IllegalArgumentException("the ResNet takes single-channel images, got " + image);
        }
        List<Layer> layers = new ArrayList<>();
        layers.add(new Unflatten(image));
        Conv stem = new Conv("stem.conv", image, 16, 3, 1, 1);
        layers.add(stem);
        layers.add(BatchNorm.forImages("stem.bn", 16));
        layers.add(new Relu());
        ImageShape shape = stem.output();
        int[][] blocks = {{16, 1}, {32, 2}, {64, 2}};
        for (int b = 0; b < blocks.length; b++) {
            BasicBlock block = new BasicBlock("block" + (b + 1), shape, blocks[b][0], blocks[b][1]);
            layers.add(block);
            shape = block.output();
        }
        layers.add(BatchNorm.forImages("out.bn", shape.channels()));
        layers.add(new Flatten());
        layers.add(new Linear("out.linear", shape.features(), embedding, Init.kaimingUniform(1 / Math.sqrt(3)),
                Init.uniform(-1 / Math.sqrt(shape.features()), 1 / Math.sqrt(shape.features()))));
        layers.add(new BatchNorm("out.embedding_bn", embedding));
        return new Sequential(layers);
    }
}
