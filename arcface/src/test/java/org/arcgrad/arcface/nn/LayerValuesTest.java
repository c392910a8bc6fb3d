package org.arcgrad.arcface.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.junit.jupiter.api.Test;

/** Forward values of the layers against torch 1.13 (fp64, printed by torch.nn.BatchNorm1d / PReLU on the same numbers). */
class LayerValuesTest {
    private static final double[] X = {0.5, -1.0, 2.0, 1.5, 0.25, -0.5, -0.75, 2.0, 1.0, 0.0, -0.5, 0.5};
    private static final double[] GAMMA = {1.5, 0.5, -2.0};
    private static final double[] BETA = {0.1, -0.2, 0.3};
    private static final double[] RUNNING_MEAN = {0.2, -0.1, 0.4};
    private static final double[] RUNNING_VAR = {1.2, 0.8, 2.5};

    @Test
    void batchNormInTrainingModeIsTorchsAndMovesTheRunningStatistics() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 4, 3);
        Pass pass = new Pass(tape, Mode.TRAIN);
        Tensor y = new BatchNorm("bn", 3).forward(x, pass);
        NDArray[] r = Interpreter.run(feeds(pass, x), y, pass.stateUpdates().get("bn.running_mean"), pass.stateUpdates().get("bn.running_var"));
        assertArrayEquals(new double[] {0.4441210249388054, -0.7221652051876195, -2.473483913585347, 2.2794331579457676,
            -0.17251762077959898, 3.0734839135853464, -1.8500191413198972, 0.5969889973916298, -0.2546967827170694,
            -0.4735350415646757, -0.5023061714244114, 0.8546967827170693}, r[0].data(), 1e-12);
        // torch: momentum 0.1 towards the batch mean and the unbiased batch variance
        assertArrayEquals(new double[] {0.21125000000000002, -0.07125000000000001, 0.43500000000000005}, r[1].data(), 1e-12);
        assertArrayEquals(new double[] {1.1690625000000001, 0.8923958333333334, 2.3583333333333334}, r[2].data(), 1e-12);
    }

    @Test
    void batchNormInInferenceModeUsesTheRunningStatistics() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 4, 3);
        Pass pass = new Pass(tape, Mode.EVAL);
        Tensor y = new BatchNorm("bn", 3).forward(x, pass);
        assertEquals(Map.of(), pass.stateUpdates());
        // torch evaluated after its training-mode call, so with the statistics that call moved to
        Map<Tensor, NDArray> f = feeds(pass, x);
        f.put(pass.node("bn.running_mean"), NDArray.of(Shape.of(3), 0.21125000000000002, -0.07125000000000001, 0.43500000000000005));
        f.put(pass.node("bn.running_var"), NDArray.of(Shape.of(3), 1.1690625000000001, 0.8923958333333334, 2.3583333333333334));
        assertArrayEquals(new double[] {0.5005830137260587, -0.6915725585048895, -1.7381719577652897, 1.887883494162626,
            -0.029967499951875393, 1.5176937894636076, -1.2335425868196501, 0.8962795820223444, -0.4358256588737307,
            -0.19306722649222485, -0.42693053508368384, 0.21534749057204872}, Interpreter.run(f, y)[0].data(), 1e-12);
    }

    @Test
    void preluIsTorchsPerChannel() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 4, 3);
        Pass pass = new Pass(tape, Mode.TRAIN);
        Tensor y = new PRelu("act", 3).forward(x, pass);
        Map<Tensor, NDArray> f = new HashMap<>();
        f.put(x, NDArray.of(Shape.of(4, 3), X));
        f.put(pass.node("act.weight"), NDArray.of(Shape.of(3), 0.25, -0.5, 2.0));
        assertArrayEquals(new double[] {0.5, 0.5, 2.0, 1.5, 0.25, -1.0, -0.1875, 2.0, 1.0, 0.0, 0.25, 0.5},
                Interpreter.run(f, y)[0].data(), 1e-15);
    }

    @Test
    void dropoutMultipliesByItsMaskInTrainingAndIsTheIdentityInInference() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 2, 2);
        Pass train = new Pass(tape, Mode.TRAIN);
        Tensor y = new Dropout("drop", 0.5).forward(x, train);
        Tensor mask = train.dropoutMasks().get(0).input();
        assertEquals("drop.mask", mask.name());
        NDArray r = Interpreter.run(Map.of(x, NDArray.of(Shape.of(2, 2), 1, 2, 3, 4), mask, NDArray.of(Shape.of(2, 2), 2, 0, 0, 2)), y)[0];
        assertArrayEquals(new double[] {2, 0, 0, 8}, r.data());
        Pass eval = new Pass(tape, Mode.EVAL);
        assertEquals(x, new Dropout("drop2", 0.5).forward(x, eval));
        assertEquals(0, eval.dropoutMasks().size());
    }

    @Test
    void linearIsXTimesWTransposedPlusBias() {
        Tape tape = new Tape();
        Tensor x = tape.input("x", 1, 2);
        Pass pass = new Pass(tape, Mode.TRAIN);
        Tensor y = new Linear("fc", 2, 3, Init.zeros(), Init.zeros()).forward(x, pass);
        Map<Tensor, NDArray> f = Map.of(x, NDArray.of(Shape.of(1, 2), 1, 2),
                pass.node("fc.weight"), NDArray.of(Shape.of(3, 2), 1, 0, 0, 1, 1, 1),
                pass.node("fc.bias"), NDArray.of(Shape.of(3), 0.5, -0.5, 0));
        assertArrayEquals(new double[] {1.5, 1.5, 3}, Interpreter.run(f, y)[0].data(), 0);
    }

    private static Map<Tensor, NDArray> feeds(Pass pass, Tensor x) {
        Map<Tensor, NDArray> f = new HashMap<>();
        f.put(x, NDArray.of(Shape.of(4, 3), X));
        f.put(pass.node("bn.weight"), NDArray.of(Shape.of(3), GAMMA));
        f.put(pass.node("bn.bias"), NDArray.of(Shape.of(3), BETA));
        f.put(pass.node("bn.running_mean"), NDArray.of(Shape.of(3), RUNNING_MEAN));
        f.put(pass.node("bn.running_var"), NDArray.of(Shape.of(3), RUNNING_VAR));
        return f;
    }
}
