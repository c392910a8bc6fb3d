package org.arcgrad.tests.parity;

import java.util.List;
import java.util.stream.Collectors;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.opencl.Executable;
import org.arcgrad.tests.fixtures.ArcFaceFixture;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenCL backend (fp32, on the default device: PoCL in CI) against the seed's PyTorch head in
 * fp32, same bounds as the interpreter: logits and loss 1e-5, gradients 1e-4 relative error.
 */
class DeviceParityTest {
    static List<String> cases() {
        return ArcFaceFixture.caseNames().stream().filter(n -> n.endsWith("_fp32")).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void deviceMatchesSeed(String name) {
        ArcFaceFixture f = ArcFaceFixture.load(name);
        HeadBackend device = (feeds, outputs) -> {
            try (Executable e = Executable.compile(SharedDevice.context(), outputs)) {
                NDArray[] r = e.run(feeds);
                double[][] d = new double[r.length][];
                for (int i = 0; i < r.length; i++) {
                    d[i] = r[i].data();
                }
                return d;
            }
        };
        HeadOutputs got = device.run(new ArcFace(f.s(), f.m(), f.easyMargin()),
                f.x().toDoubleArray(), f.w().toDoubleArray(), f.labels(), f.n(), f.d(), f.c());
        ParityAssert.assertMatches(f, got, 1e-5, 1e-4);
    }
}
