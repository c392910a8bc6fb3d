package org.arcgrad.arcface.nn;

import java.util.ArrayList;
import java.util.List;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Tensor;

/**
 * ResNet's basic block: relu(bn(conv3×3(relu(bn(conv3×3(x, stride))))) + shortcut(x)), the
 * shortcut being x itself, or bn(conv1×1(x, stride)) when the block changes the channels or the
 * size. Names: NAME.conv1, NAME.bn1, NAME.conv2, NAME.bn2, NAME.shortcut.conv, NAME.shortcut.bn.
 */
public final class BasicBlock implements Layer {
    private final Sequential main;
    private final Sequential shortcut;
    private final ImageShape in;
    private final ImageShape out;

    public BasicBlock(String name, ImageShape in, int channels, int stride) {
        Conv conv1 = new Conv(name + ".conv1", in, channels, 3, stride, 1);
        Conv conv2 = new Conv(name + ".conv2", conv1.output(), channels, 3, 1, 1);
        this.in = in;
        this.out = conv2.output();
        this.main = new Sequential(List.of(conv1, BatchNorm.forImages(name + ".bn1", channels), new Relu(), conv2,
                BatchNorm.forImages(name + ".bn2", channels)));
        this.shortcut = stride == 1 && channels == in.channels() ? null
                : new Sequential(List.of(new Conv(name + ".shortcut.conv", in, channels, 1, stride, 0),
                        BatchNorm.forImages(name + ".shortcut.bn", channels)));
    }

    public ImageShape output() {
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Pass pass) {
        Tensor skip = shortcut == null ? x : shortcut.forward(x, pass);
        return Functional.relu(main.forward(x, pass).add(skip));
    }

    @Override
    public int outFeatures(int features) {
        in.requireFeatures(describe(), features);
        return out.features();
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> p = new ArrayList<>(main.parameters());
        if (shortcut != null) {
            p.addAll(shortcut.parameters());
        }
        return p;
    }

    @Override
    public String describe() {
        return "BasicBlock(" + in.channels() + " → " + out.channels() + (in.height() != out.height() ? ", stride 2" : "")
                + (shortcut != null ? ", projection" : "") + ")";
    }
}
