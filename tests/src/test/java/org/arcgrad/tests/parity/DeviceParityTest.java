package org.arcgrad.tests.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.Executable;
import org.arcgrad.opencl.fused.ChunkedExecutable;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.fixtures.ArcFaceFixture;
import org.arcgrad.tests.opencl.SharedDevice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenCL backend (fp32, on the default device: PoCL in CI) under both kernel plans against the
 * seed's PyTorch head in fp32, same bounds as the interpreter: logits and loss 1e-5, gradients
 * 1e-4 relative error.
 */
class DeviceParityTest {
    private static List<String> fp32Fixtures() {
        return ArcFaceFixture.caseNames().stream().filter(n -> n.endsWith("_fp32")).toList();
    }

    static Stream<Arguments> cases() {
        return fp32Fixtures().stream().flatMap(n -> Stream.of(Arguments.of(n, PlanChoice.CPU), Arguments.of(n, PlanChoice.GPU)));
    }

    /**
     * Every fixture once, the plans taking turns in the order of cases.txt: each case builds two
     * executables' kernels (about 4 s on PoCL), and each plan still meets random shapes, easy
     * margin on and off, a {@code th} switch and cosines near and at ±1 (with easy margin on the
     * CPU plan, without on the GPU plan). {@link #deviceMatchesSeed} runs every fixture under both.
     */
    static Stream<Arguments> chunkedCases() {
        List<String> names = fp32Fixtures();
        return IntStream.range(0, names.size()).mapToObj(i -> Arguments.of(names.get(i), i % 2 == 0 ? PlanChoice.CPU : PlanChoice.GPU));
    }

    @ParameterizedTest(name = "{0}, {1} plan")
    @MethodSource("cases")
    void deviceMatchesSeed(String name, PlanChoice plan) {
        ArcFaceFixture f = ArcFaceFixture.load(name);
        HeadBackend device = (feeds, outputs) -> {
            try (Executable e = Executable.compile(SharedDevice.context(), CompileOptions.defaults().withPlan(plan), outputs)) {
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

    /**
     * The chunked path (issue 10) held to the same fixtures: loss and gradients computed 4 classes
     * at a time with no buffer of N×C elements, the logits by a forward-only executable of their own.
     */
    @ParameterizedTest(name = "{0}, {1} plan, by chunks of 4 classes")
    @MethodSource("chunkedCases")
    void chunkedPathMatchesSeed(String name, PlanChoice plan) {
        ArcFaceFixture f = ArcFaceFixture.load(name);
        org.junit.jupiter.api.Assumptions.assumeTrue(f.n() > 1, "one row: nothing to split");
        CompileOptions options = CompileOptions.defaults().withPlan(plan);
        HeadBackend device = (feeds, outputs) -> {
            double[][] d = new double[outputs.length][];
            try (Executable logits = Executable.compile(SharedDevice.context(), options, outputs[0]);
                 ChunkedExecutable rest = ChunkedExecutable.compile(SharedDevice.context(), options, 4,
                         java.util.Arrays.copyOfRange(outputs, 1, outputs.length))) {
                long bound = Math.max((long) f.n() * 4, Math.max((long) f.n() * f.d(), 4L * f.d()));
                assertTrue(rest.largestChunkBufferElements() <= bound, "the region's values take N × 4 at most");
                d[0] = logits.run(feeds)[0].data();
                NDArray[] r = rest.run(feeds);
                for (int i = 0; i < r.length; i++) {
                    d[i + 1] = r[i].data();
                }
            }
            return d;
        };
        HeadOutputs got = device.run(new ArcFace(f.s(), f.m(), f.easyMargin()),
                f.x().toDoubleArray(), f.w().toDoubleArray(), f.labels(), f.n(), f.d(), f.c());
        ParityAssert.assertMatches(f, got, 1e-5, 1e-4);
    }
}
