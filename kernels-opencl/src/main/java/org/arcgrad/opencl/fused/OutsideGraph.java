package org.arcgrad.opencl.fused;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arcgrad.autodiff.DType;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * The part of a graph outside its {@link ClassRegion} that computes some {@code targets}, rebuilt
 * on a tape of its own in which every consumer of the region is an input: what a backend runs
 * between the passes over the columns (the row values a pass reads) and after the last (the
 * graph's outputs). It never holds a member of the region: reaching one is an internal error.
 *
 * @param graph   the rebuilt graph; output k is the copy of target k
 * @param sources input of the rebuilt graph → the original node whose value it takes (a source of
 *                the original graph, a consumer of the region, or a value an earlier stage computed)
 * @param targets the original nodes that output k of the rebuilt graph computes
 */
record OutsideGraph(Graph graph, Map<Tensor, Tensor> sources, List<Tensor> targets) {

    /**
     * @param known nodes whose values an earlier stage already computed (and every consumer of the
     *              region): they become inputs instead of being computed again
     */
    static OutsideGraph of(ClassRegion region, List<Tensor> targets, Set<Tensor> known) {
        Set<Tensor> given = new HashSet<>(region.consumerNodes()); // values that come in as inputs, not computed here
        given.addAll(known);
        Set<Tensor> needed = new HashSet<>();
        List<Tensor> todo = new ArrayList<>(targets);
        while (!todo.isEmpty()) {
            Tensor t = todo.remove(todo.size() - 1);
            if (!needed.add(t) || given.contains(t)) {
                continue;
            }
            if (region.contains(t)) {
                throw new IllegalStateException("internal error: the values outside the class region reach its member "
                        + t.describe() + " other than through a consumer");
            }
            for (int k = 0; k < t.arity(); k++) {
                todo.add(t.input(k));
            }
        }
        Tape tape = new Tape();
        Map<Tensor, Tensor> copy = new LinkedHashMap<>();
        Map<Tensor, Tensor> sources = new LinkedHashMap<>();
        for (Tensor t : targets.get(0).tape().nodes()) {
            if (!needed.contains(t)) {
                continue;
            }
            Tensor c;
            if (given.contains(t) || t.op() == Op.INPUT || t.op() == Op.PARAM) {
                String name = given.contains(t) ? "known %" + t.id() : t.name();
                c = t.dtype() == DType.INT ? tape.labels(name, t.shape().dims()) : tape.input(name, t.shape().dims());
                sources.put(c, t);
            } else if (t.op() == Op.CONST) {
                c = tape.full(t.shape(), t.attrs().scalar(0));
            } else {
                Tensor[] in = new Tensor[t.arity()];
                for (int k = 0; k < in.length; k++) {
                    in[k] = copy.get(t.input(k));
                }
                c = tape.record(t.op(), t.attrs(), in);
            }
            copy.put(t, c);
        }
        Tensor[] outs = targets.stream().map(copy::get).toArray(Tensor[]::new);
        return new OutsideGraph(Graph.of(outs), sources, List.copyOf(targets));
    }
}
