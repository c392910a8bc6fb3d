package org.arcgrad.opencl.fused;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.arcgrad.autodiff.Tensor;

/**
 * A product x·Wᵀ of the region that several passes read, kept from the first of them for the
 * others instead of computed again: backward reads the logits' product that forward computed, and
 * recomputing it was a quarter of a margin head's chunked step (four products where the whole graph
 * has three).
 *
 * <p>It waits, chunk by chunk, in the buffer of a consumer that the last reading pass computes (grad
 * W for a margin head): that pass writes the chunk's part of its host, elements c0·e to (c0 + w)·e
 * with e the host's elements per class, only after it has read the chunk's product there, and the
 * product's N·K·w values fit in those w·e elements when N·K ≤ e (N ≤ D for a [C, D] grad W). So a
 * stash costs no memory; where no consumer is large enough (more rows than features) the later
 * passes compute the product again, as they did before.
 *
 * @param product the product, a member of the region
 * @param written the pass that computes it and keeps each chunk's values
 * @param read    the later passes that take it from there
 * @param host    a consumer of the last of {@code read}, not a running total, in whose whole value the chunks' values wait
 */
record Stash(Tensor product, int written, SortedSet<Integer> read, ClassRegion.Consumer host) {

    Stash {
        read = new TreeSet<>(read);
        if (read.isEmpty() || read.first() <= written || host.pass() != read.last()) {
            throw new IllegalArgumentException("internal error: a stash written in pass " + written + ", read in " + read
                    + ", kept in a consumer of pass " + host.pass());
        }
    }

    /** Where chunk values of the product start in its host's buffer, for the chunk that starts at class {@code c0}. */
    long offset(ClassAxis axis, int c0) {
        return axis.startOf(host.node().shape(), c0);
    }

    /**
     * The region's products that more than one pass reads and that a consumer of the last of them
     * can hold, each with its own host.
     */
    static List<Stash> of(ClassRegion region) {
        List<Set<Tensor>> needed = new ArrayList<>();
        for (int p = 1; p <= region.passes(); p++) {
            needed.add(ChunkGraphs.membersNeeded(region, p));
        }
        List<Stash> stashes = new ArrayList<>();
        Set<ClassRegion.Consumer> hosts = new HashSet<>();
        for (Tensor product : region.products()) {
            SortedSet<Integer> passes = new TreeSet<>();
            for (int p = 1; p <= region.passes(); p++) {
                if (needed.get(p - 1).contains(product)) {
                    passes.add(p);
                }
            }
            if (passes.size() < 2) {
                continue;
            }
            long perClass = region.axis().elementsPerClass(product.shape());
            region.consumersOf(passes.last()).stream()
                    .filter(c -> !ChunkGraphs.isRunningTotal(c.kind()) && !region.chunkOnly().contains(c.node()))
                    .filter(c -> !hosts.contains(c) && region.axis().elementsPerClass(c.node().shape()) >= perClass)
                    .findFirst()
                    .ifPresent(host -> {
                        hosts.add(host);
                        stashes.add(new Stash(product, passes.first(), passes.tailSet(passes.first() + 1), host));
                    });
        }
        return stashes;
    }
}
