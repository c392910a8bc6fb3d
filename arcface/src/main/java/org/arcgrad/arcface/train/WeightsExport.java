package org.arcgrad.arcface.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arcgrad.opencl.files.AtomicFiles;
import org.arcgrad.arcface.nn.BatchNorm;
import org.arcgrad.arcface.nn.Dropout;
import org.arcgrad.arcface.nn.ImageShape;
import org.arcgrad.arcface.nn.Layer;
import org.arcgrad.arcface.nn.Linear;
import org.arcgrad.arcface.nn.PRelu;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.arcface.nn.Relu;
import org.arcgrad.arcface.nn.ResNet;
import org.arcgrad.arcface.nn.Sequential;
import org.arcgrad.arcface.npy.NpyArray;
import org.arcgrad.arcface.npy.NpyWriter;

/**
 * The trained weights as .npy files a PyTorch user loads by name: one file per entry of the
 * backbone's state_dict (NAME.npy, float32; BN's num_batches_tracked as int64, so a strict
 * {@code load_state_dict} accepts them), the head's class weights as head.weight.npy (when a margin
 * head trained them; a pair loss has none), and
 * {@value #LOADER}, a script that builds the matching {@code torch.nn.Sequential} and loads them.
 * Optimizer state stays in the checkpoint. All files are replaced together, atomically.
 */
public final class WeightsExport {
    public static final String LOADER = "load_in_pytorch.py";

    private WeightsExport() {
    }

    /** Writes the files into {@code folder} and returns their paths. */
    public static List<Path> write(Path folder, Network network, Map<String, float[]> values, long steps) throws IOException {
        Files.createDirectories(folder);
        Map<Path, AtomicFiles.Content> files = files(folder, network, values, steps);
        AtomicFiles.writeAll(files);
        return List.copyOf(files.keySet());
    }

    /** The files {@link #write} writes for this network, known before training (to check the folder first). */
    public static List<Path> files(Path folder, Network network) {
        return List.copyOf(files(folder, network, Map.of(), 0).keySet());
    }

    /** File by file, the content, made when it is written (values are read then). */
    private static Map<Path, AtomicFiles.Content> files(Path folder, Network network, Map<String, float[]> values, long steps) {
        Map<Path, AtomicFiles.Content> files = new LinkedHashMap<>();
        List<ParameterSpec> specs = new java.util.ArrayList<>(network.backbone().parameters());
        network.headWeight().ifPresent(specs::add);
        for (ParameterSpec s : specs) {
            files.put(folder.resolve(s.name() + ".npy"),
                    ch -> NpyWriter.content(NpyArray.ofFloat32(s.shape(), values.get(s.name()))).writeTo(ch));
        }
        for (ParameterSpec s : network.backbone().parameters()) { // every batch norm, those inside blocks too
            if (s.name().endsWith(".running_mean")) {
                String prefix = s.name().substring(0, s.name().length() - ".running_mean".length());
                files.put(folder.resolve(prefix + ".num_batches_tracked.npy"),
                        NpyWriter.content(NpyArray.ofInt64(new int[0], new long[] {steps})));
            }
        }
        byte[] script = loader(network).getBytes(StandardCharsets.UTF_8);
        files.put(folder.resolve(LOADER), ch -> ch.write(ByteBuffer.wrap(script)));
        return files;
    }

    /** The Python that rebuilds the backbone as torch.nn.Sequential with our names and loads the .npy files. */
    static String loader(Network network) {
        if (network.backbone() instanceof ResNet resNet) {
            return resNetLoader(network, resNet.image());
        }
        StringBuilder modules = new StringBuilder();
        int activations = 0;
        for (Layer l : layers(network)) {
            String name;
            String module;
            if (l instanceof Linear lin) {
                int[] shape = lin.weight().shape();
                name = prefix(l);
                module = "nn.Linear(" + shape[1] + ", " + shape[0] + ", bias=" + (l.parameters().size() > 1 ? "True" : "False") + ")";
            } else if (l instanceof BatchNorm) {
                name = prefix(l);
                module = "nn.BatchNorm1d(" + l.parameters().get(0).shape()[0] + ")";
            } else if (l instanceof PRelu) {
                name = prefix(l);
                module = "nn.PReLU(" + l.parameters().get(0).shape()[0] + ")";
            } else if (l instanceof Relu) {
                name = "relu" + ++activations;
                module = "nn.ReLU()";
            } else if (l instanceof Dropout d) {
                name = "dropout" + ++activations;
                module = "nn.Dropout(" + d.p() + ")";
            } else {
                throw new IllegalArgumentException("no PyTorch equivalent written for " + l.describe());
            }
            modules.append("    (\"").append(name).append("\", ").append(module).append("),\n");
        }
        return """
                #!/usr/bin/env python3
                \"\"\"Loads the weights arcgrad trained into PyTorch: run from any folder,
                    python3 load_in_pytorch.py
                or import load() from it. The backbone maps inputs [N, %d] to embeddings [N, %d];
                %s
                (call .eval() so batch norm uses its running statistics).\"\"\"
                import collections
                import os

                import numpy as np
                import torch
                from torch import nn

                HERE = os.path.dirname(os.path.abspath(__file__))

                """.formatted(network.inputs(), network.embedding(), headDoc(network))
                + loadAndPrint("nn.Sequential(collections.OrderedDict([\n" + modules + "    ]))", network);
    }

    /**
     * The loader of {@link ResNet}'s network: a torch.nn.Module whose state_dict names are ours
     * (stem.conv.weight, block2.shortcut.bn.running_var, out.linear.bias, ...), the same layers in
     * the same order, so that its outputs are the embeddings arcgrad computes. The recipe builds it
     * for square images only, which is what the Python class takes.
     */
    private static String resNetLoader(Network network, ImageShape image) {
        int side = image.height();
        return """
                #!/usr/bin/env python3
                \"\"\"Loads the weights arcgrad trained into PyTorch: run from any folder,
                    python3 load_in_pytorch.py
                or import load() from it. The backbone (arcgrad's small ResNet) maps inputs [N, %d]
                (%dx%d single-channel images, flattened) to embeddings [N, %d];
                %s
                (call .eval() so batch norm uses its running statistics).\"\"\"
                import collections
                import os

                import numpy as np
                import torch
                from torch import nn

                HERE = os.path.dirname(os.path.abspath(__file__))


                def conv_bn(cin, cout, kernel, stride, padding):
                    return nn.Sequential(collections.OrderedDict([
                        ("conv", nn.Conv2d(cin, cout, kernel, stride, padding, bias=False)),
                        ("bn", nn.BatchNorm2d(cout))]))


                class BasicBlock(nn.Module):
                    def __init__(self, cin, cout, stride):
                        super().__init__()
                        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
                        self.bn1 = nn.BatchNorm2d(cout)
                        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
                        self.bn2 = nn.BatchNorm2d(cout)
                        self.shortcut = conv_bn(cin, cout, 1, stride, 0) if stride != 1 or cin != cout else None

                    def forward(self, x):
                        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
                        return torch.relu(y + (x if self.shortcut is None else self.shortcut(x)))


                class ResNet(nn.Module):
                    def __init__(self, side, embedding):
                        super().__init__()
                        self.side = side
                        self.stem = conv_bn(1, 16, 3, 1, 1)
                        self.block1 = BasicBlock(16, 16, 1)
                        self.block2 = BasicBlock(16, 32, 2)
                        self.block3 = BasicBlock(32, 64, 2)
                        quarter = ((side - 1) // 2) // 2 + 1
                        self.out = nn.Sequential(collections.OrderedDict([
                            ("bn", nn.BatchNorm2d(64)),
                            ("flatten", nn.Flatten()),
                            ("linear", nn.Linear(64 * quarter * quarter, embedding)),
                            ("embedding_bn", nn.BatchNorm1d(embedding))]))

                    def forward(self, x):
                        x = torch.relu(self.stem(x.reshape(-1, 1, self.side, self.side)))
                        return self.out(self.block3(self.block2(self.block1(x))))

                """.formatted(network.inputs(), side, side, network.embedding(), headDoc(network))
                + loadAndPrint("ResNet(" + side + ", " + network.embedding() + ")", network);
    }

    /** The docstring's line on the class weights: their shape, or that a pair loss trained without them. */
    private static String headDoc(Network network) {
        return network.headWeight().map(w -> "head.weight [" + w.shape()[0] + ", " + w.shape()[1]
                + "] holds the margin head's class weights (cosine with normalized embeddings)")
                .orElse("a pair loss trained them, so there are no class weights (load() returns None for them)");
    }

    /**
     * The loader's load() and main, for a backbone the Python expression {@code model} builds;
     * load() returns the model and the head's class weights (None without a margin head).
     */
    private static String loadAndPrint(String model, Network network) {
        boolean head = network.headWeight().isPresent();
        return """

                def load(folder=HERE):
                    model = %s
                    state = {k: torch.from_numpy(np.load(os.path.join(folder, k + ".npy"))) for k in model.state_dict()}
                    model.load_state_dict(state)
                    head = %s
                    return model.eval(), head


                if __name__ == "__main__":
                    model, head = load()
                    print(model)
                    print("head.weight", %s)
                """.formatted(model, head ? "torch.from_numpy(np.load(os.path.join(folder, \"head.weight.npy\")))" : "None",
                head ? "tuple(head.shape)" : "\"none (trained with a pair loss)\"");
    }

    private static String prefix(Layer l) {
        String n = l.parameters().get(0).name();
        return n.substring(0, n.lastIndexOf('.'));
    }

    private static List<Layer> layers(Network network) {
        if (network.backbone() instanceof Sequential s) {
            return s.layers();
        }
        return List.of(network.backbone());
    }
}
