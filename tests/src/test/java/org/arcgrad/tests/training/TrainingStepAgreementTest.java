package org.arcgrad.tests.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.heads.SubCenterArcFace;
import org.arcgrad.arcface.nn.Mlp;
import org.arcgrad.arcface.optim.Hyper;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;
import org.arcgrad.arcface.train.TrainingGraph;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole training steps (forward, backward, optimizer update, batch-norm statistics) compiled for
 * the device under both kernel plans, against the same graph on the fp64 interpreter. Three steps
 * run one after the other on the device (parameters and optimizer state stay there, swapped by
 * updates); each is held to the interpreter's step from the state the device had before it, by
 * {@link StepAgreement}'s bar.
 */
class TrainingStepAgreementTest {
    private static final int STEPS = 3;

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void sgdWithNesterovMomentumOnTheSmallRun(PlanChoice plan) {
        Recipe recipe = SmallRun.recipe(1);
        StepAgreement.check(SharedDevice.context(), SmallRun.network(recipe), recipe.optimizer(), 64, new Hyper(10, 0.05, 0.9),
                CompileOptions.defaults().withPlan(plan), STEPS);
    }

    /**
     * A sub-center head (K = 3) over 40 classes, wide enough that the GPU plan folds its forward
     * into the product (the GEMM's depth loop once per centre, the centres' max in registers):
     * the step agrees as the others do, and the GPU plan is checked to fold.
     */
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void subCenterHeadWhoseForwardFoldsOnTheGpuPlan(PlanChoice plan) {
        Recipe recipe = new Recipe().hidden(List.of(16)).embedding(8);
        Network network = recipe.network(12, new SubCenterArcFace(30, 0.5, false, 3), 40, 3);
        boolean folds = KernelPlan.of(Graph.of(new TrainingGraph(network, recipe.optimizer(), 48).outputs()),
                plan.apply(DeviceLimits.of(SharedDevice.context().device().info()))).kernels().stream()
                .anyMatch(k -> k.kind().equals("gemm-fold"));
        assertEquals(plan == PlanChoice.GPU, folds, plan + " plan: the head's product folded");
        StepAgreement.check(SharedDevice.context(), network, recipe.optimizer(), 48, new Hyper(0, 0.05, 0.9),
                CompileOptions.defaults().withPlan(plan), STEPS);
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void adamWWithPreluAndDropout(PlanChoice plan) {
        Recipe recipe = new Recipe().hidden(List.of(24)).embedding(8).activation(Mlp.Activation.PRELU).dropout(0.25)
                .optimizer(Recipe.OptimizerKind.adamw);
        Network network = recipe.network(12, new ArcFace(30, 0.5, false), 5, 1);
        StepAgreement.check(SharedDevice.context(), network, recipe.optimizer(), 32, new Hyper(3, 0.01, 0.9),
                CompileOptions.defaults().withPlan(plan), STEPS);
    }
}
