package org.arcgrad.opencl.fused;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.KernelArg;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.KernelSpec;

/**
 * Which consumers' chunk parts a chunk graph's piece writes straight into the consumer's whole
 * value (a view at the chunk's place) instead of into a buffer of its own that a device copy puts
 * in place after the run. The copy is what it saves: grad W's part is (chunk width) × D values, 4
 * MiB a chunk of 1 984 classes at D = 512, and its copies took some 20 ms of a 0.53 s step at
 * C = 100 000 on this project's 2-core machine (the chunked ArcFace step with and without them,
 * run in turn).
 *
 * <p>A part is written in place unless:
 * <ul>
 *   <li>its consumer is a running total: each chunk reads the total so far and writes the next, and
 *       a kernel may read a row's old total after it wrote the new one;</li>
 *   <li>some chunk's place would not start where the device allows a view (a multiple of
 *       {@code CL_DEVICE_MEM_BASE_ADDR_ALIGN}): one piece serves every full chunk, so either all of
 *       them write in place or none;</li>
 *   <li>its value is held in another value's buffer (a reshape of a larger one), shares its buffer
 *       with another part, or is a product this piece keeps for a later pass (that one has its own
 *       place);</li>
 *   <li>the consumer hosts a product that this piece takes from an earlier pass ({@link Stash}) and
 *       some kernel reads that product at or after the first kernel that writes the part: the part
 *       would overwrite the product before it is read.</li>
 * </ul>
 */
final class InPlaceParts {
    private InPlaceParts() {
    }

    /** {@code kernels}: the chunk graph's piece's, in the order they run. */
    static Set<ClassRegion.Consumer> of(ChunkGraphs chunk, List<KernelSpec> kernels, int chunkWidth, ClassAxis axis, long alignBytes) {
        Set<Tensor> kept = new HashSet<>();
        chunk.kept().values().forEach(p -> kept.add(KernelPlan.storage(p)));
        Map<Tensor, Integer> partsHeld = new HashMap<>();
        chunk.partials().values().forEach(p -> partsHeld.merge(KernelPlan.storage(p), 1, Integer::sum));
        Set<ClassRegion.Consumer> inPlace = new HashSet<>();
        chunk.partials().forEach((consumer, part) -> {
            Tensor storage = KernelPlan.storage(part);
            boolean aligned = axis.startOf(consumer.node().shape(), chunkWidth) * Float.BYTES % alignBytes == 0; // the second chunk's, so every one's
            int written = firstWrite(kernels, storage);
            boolean own = written >= 0 && storage.op() != Op.INPUT && storage.op() != Op.PARAM
                    && storage.shape().numel() == part.shape().numel() && partsHeld.get(storage) == 1 && !kept.contains(storage);
            boolean hostedReadFirst = chunk.taken().entrySet().stream()
                    .filter(t -> t.getValue().host().equals(consumer))
                    .allMatch(t -> lastRead(kernels, KernelPlan.storage(t.getKey())) < written);
            if (!ChunkGraphs.isRunningTotal(consumer.kind()) && aligned && own && hostedReadFirst) {
                inPlace.add(consumer);
            }
        });
        return inPlace;
    }

    /** The index of the last kernel that reads {@code storage}'s buffer; −1 when none does. */
    private static int lastRead(List<KernelSpec> kernels, Tensor storage) {
        int last = -1;
        for (int i = 0; i < kernels.size(); i++) {
            for (KernelArg a : kernels.get(i).args()) {
                if (a instanceof KernelArg.Read r && KernelPlan.storage(r.node()) == storage) {
                    last = i;
                }
            }
        }
        return last;
    }

    /** The index of the first kernel that writes {@code storage}'s buffer; −1 when none does. */
    private static int firstWrite(List<KernelSpec> kernels, Tensor storage) {
        for (int i = 0; i < kernels.size(); i++) {
            for (Tensor t : kernels.get(i).outputs()) {
                if (KernelPlan.storage(t) == storage) {
                    return i;
                }
            }
        }
        return -1;
    }
}
