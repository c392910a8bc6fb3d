package org.arcgrad.opencl.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.Functional;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.KernelArg;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;
import org.arcgrad.opencl.gemm.DeviceLimits;
import org.arcgrad.opencl.runtime.DeviceType;
import org.junit.jupiter.api.Test;

/**
 * Which chunk parts a piece writes straight into the consumer's whole value. The values this gives
 * are held to the whole graph on the device by KeptProductTest and ChunkedRegionTest (tests
 * module); here, the rules: that the margin head's grad W is written in place (the copy it saves
 * is the point), and each reason to copy instead.
 */
class InPlacePartsTest {
    private static final int WIDTH = 32;
    private static final long PO_CL_ALIGN = 128;

    /** A normalised-product head with cross-entropy, x [8, 16], W [64, 16]: N ≤ D, so backward takes forward's product. */
    private static ChunkedPlan marginHead() {
        return marginHead(true);
    }

    private static ChunkedPlan marginHead(boolean keepProducts) {
        Tape t = new Tape();
        Tensor x = t.param("x", 8, 16);
        Tensor w = t.param("w", 64, 16);
        Tensor y = t.labels("y", 8);
        Tensor loss = Functional.crossEntropy(Functional.linear(Functional.normalize(x), Functional.normalize(w)).mul(30), y);
        Tensor[] g = t.grad(loss, x, w);
        return ChunkedPlan.of(Graph.of(loss, g[0], g[1]), WIDTH, keepProducts).orElseThrow();
    }

    private static List<KernelSpec> kernels(ChunkGraphs chunk, DeviceType type) {
        return KernelPlan.of(chunk.graph(), DeviceLimits.typical(type)).kernels();
    }

    @Test
    void theMarginHeadsGradWIsWrittenInPlaceAndNoRunningTotalIs() {
        ChunkedPlan plan = marginHead();
        Stash stash = plan.stashes().get(0);
        for (DeviceType type : DeviceType.values()) {
            for (ChunkedPlan.Pass pass : plan.passes()) {
                ChunkGraphs chunk = pass.regular();
                Set<ClassRegion.Consumer> inPlace = InPlaceParts.of(chunk, kernels(chunk, type), WIDTH, plan.region().axis(), PO_CL_ALIGN);
                for (ClassRegion.Consumer c : chunk.partials().keySet()) {
                    assertEquals(!ChunkGraphs.isRunningTotal(c.kind()), inPlace.contains(c), type + ": " + c);
                }
            }
            ChunkGraphs backward = plan.passes().get(plan.passes().size() - 1).regular();
            assertTrue(InPlaceParts.of(backward, kernels(backward, type), WIDTH, plan.region().axis(), PO_CL_ALIGN).contains(stash.host()),
                    type + ": the kept product's host, grad W");
        }
    }

    @Test
    void aChunkPlaceTheDeviceCannotViewIsCopiedInto() {
        ChunkedPlan plan = marginHead();
        ChunkGraphs backward = plan.passes().get(plan.passes().size() - 1).regular();
        // a chunk of grad W is 32 × 16 floats, 2 048 bytes: a device that aligns views to 4 096 has no view at the second chunk
        assertTrue(InPlaceParts.of(backward, kernels(backward, DeviceType.CPU), WIDTH, plan.region().axis(), 4096).isEmpty());
    }

    @Test
    void aChunkPlaceAtExactlyTheAlignmentIsAView() {
        ChunkedPlan plan = marginHead();
        ChunkGraphs backward = plan.passes().get(plan.passes().size() - 1).regular();
        // the second chunk of grad W starts 32 × 16 floats in: 2 048 bytes, a multiple of 2 048 but not of 4 096
        assertTrue(InPlaceParts.of(backward, kernels(backward, DeviceType.CPU), WIDTH, plan.region().axis(), 2048)
                .contains(plan.stashes().get(0).host()));
    }

    @Test
    void aPartWrittenByThePiecesFirstKernelIsWrittenInPlace() {
        ChunkedPlan plan = marginHead(false); // nothing kept: no product to read before the part is written
        ChunkGraphs backward = plan.passes().get(plan.passes().size() - 1).regular();
        ClassRegion.Consumer gradW = backward.partials().keySet().stream().filter(c -> c.kind() == ClassRegion.Kind.PER_CLASS)
                .findFirst().orElseThrow();
        Tensor part = KernelPlan.storage(backward.partials().get(gradW));
        List<KernelSpec> firstWrites = new ArrayList<>(kernels(backward, DeviceType.CPU));
        KernelSpec writer = firstWrites.stream().filter(k -> k.outputs().stream().anyMatch(o -> KernelPlan.storage(o) == part))
                .findFirst().orElseThrow();
        firstWrites.remove(writer);
        firstWrites.add(0, writer); // InPlaceParts reads only the list: the part's writer now runs first
        assertTrue(InPlaceParts.of(backward, firstWrites, WIDTH, plan.region().axis(), PO_CL_ALIGN).contains(gradW));
    }

    @Test
    void aHostWhoseKeptProductIsReadAfterThePartIsWrittenIsCopiedInto() {
        ChunkedPlan plan = marginHead();
        Stash stash = plan.stashes().get(0);
        ChunkGraphs backward = plan.passes().get(plan.passes().size() - 1).regular();
        Tensor product = backward.taken().entrySet().stream().filter(e -> e.getValue() == stash).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        Tensor part = KernelPlan.storage(backward.partials().get(stash.host()));
        List<KernelSpec> plain = kernels(backward, DeviceType.CPU);
        int writer = -1;
        for (int i = 0; i < plain.size() && writer < 0; i++) {
            if (plain.get(i).outputs().stream().anyMatch(o -> KernelPlan.storage(o) == part)) {
                writer = i;
            }
        }
        // the kernel that writes grad W's part now reads the product too, as a fused kernel might
        KernelSpec k = plain.get(writer);
        List<KernelArg> args = new ArrayList<>(k.args());
        args.add(new KernelArg.Read(product));
        List<KernelSpec> readLate = new ArrayList<>(plain);
        readLate.set(writer, new KernelSpec(k.name(), k.kind(), k.source(), k.outputs(), args, k.global(), k.local(), k.standalone()));
        assertTrue(InPlaceParts.of(backward, plain, WIDTH, plan.region().axis(), PO_CL_ALIGN).contains(stash.host()));
        assertFalse(InPlaceParts.of(backward, readLate, WIDTH, plan.region().axis(), PO_CL_ALIGN).contains(stash.host()));
    }
}
