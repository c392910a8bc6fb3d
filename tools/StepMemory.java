import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.train.Embedder;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.TrainingGraph;
import org.arcgrad.arcface.train.TrainingStep;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.Devices;

/**
 * The device memory of the default recipe's training step (ArcFace, 10 classes of 28×28 inputs)
 * for the MLP or the small ResNet: the step's intermediate buffers, and the peak with an
 * evaluation embedder of the given batch beside it, as a training run holds both. A measurement,
 * not a test: the README's memory figures for the ResNet came from it. From the repository root
 * after {@code mvn install -DskipTests}:
 *
 * <pre>
 * java -cp arcface/target/arcgrad-cli.jar tools/StepMemory.java resnet 256 256
 * </pre>
 */
public class StepMemory {
    public static void main(String[] args) {
        Recipe.ModelKind model = Recipe.ModelKind.valueOf(args.length > 0 ? args[0] : "resnet");
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int evalBatch = args.length > 2 ? Integer.parseInt(args[2]) : batch;
        Recipe recipe = new Recipe().model(model).batch(batch);
        Network network = recipe.network(784, new ArcFace(30, 0.5, false), 10, 1);
        try (DeviceContext context = DeviceContext.open(Devices.choose())) {
            TrainingGraph graph = new TrainingGraph(network, recipe.optimizer(), batch);
            try (TrainingStep step = new TrainingStep(context, graph, recipe.optimizer());
                 Embedder embedder = new Embedder(context, network, evalBatch)) {
                System.out.printf("%s, batch %d: training step %.1f MiB of intermediates; with the embedder at batch %d, %.1f MiB"
                        + " at most in device buffers%n", model, batch, ((Executable) step.executable()).intermediateBytes() / 1048576.0,
                        evalBatch, context.peakAllocatedBytes() / 1048576.0);
            }
        }
    }
}
