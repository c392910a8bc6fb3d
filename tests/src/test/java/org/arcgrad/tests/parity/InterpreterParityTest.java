package org.arcgrad.tests.parity;

import java.util.List;
import java.util.stream.Collectors;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.tests.fixtures.ArcFaceFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fp64 interpreter against the seed's PyTorch head in fp64 (fixtures from
 * tools/make_arcface_fixtures.py). Bounds (relative error as {@link Closeness} defines it):
 * logits and loss 1e-5, gradients 1e-4, the bars, on every row: in fp64 the only real
 * difference is the radicand clamp of cosAdd, which moves a logit by at most s·sin m·1e-6 at a
 * cosine of exactly ±1, so rows near ±1 get no allowance (the device's fp32 allowances are in
 * {@link ParityAssert}). Where the seed's gradient is NaN (a cosine exactly ±1), those rows are
 * left out of the gradient comparison and ours must instead be finite.
 */
class InterpreterParityTest {
    static List<String> cases() {
        return ArcFaceFixture.caseNames().stream().filter(n -> n.endsWith("_fp64")).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void interpreterMatchesSeed(String name) {
        ArcFaceFixture f = ArcFaceFixture.load(name);
        HeadBackend interpreter = (feeds, outputs) -> {
            NDArray[] r = Interpreter.run(feeds, outputs);
            double[][] d = new double[r.length][];
            for (int i = 0; i < r.length; i++) {
                d[i] = r[i].data();
            }
            return d;
        };
        HeadOutputs got = interpreter.run(new ArcFace(f.s(), f.m(), f.easyMargin()),
                f.x().toDoubleArray(), f.w().toDoubleArray(), f.labels(), f.n(), f.d(), f.c());
        ParityAssert.assertMatches(f, got, 1e-5, 1e-4);
    }
}
