package org.arcgrad.autodiff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The part of a tape that some outputs need: its nodes in tape order (inputs first), the sources
 * among them, and the outputs. Backends compile a Graph; it holds forward and backward alike.
 */
public final class Graph {
    private final List<Tensor> nodes;
    private final List<Tensor> outputs;

    private Graph(List<Tensor> nodes, List<Tensor> outputs) {
        this.nodes = nodes;
        this.outputs = outputs;
    }

    public static Graph of(Tensor... outputs) {
        if (outputs.length == 0) {
            throw new IllegalArgumentException("a graph needs at least one output");
        }
        Tape tape = outputs[0].tape();
        int last = 0;
        for (Tensor o : outputs) {
            if (o.tape() != tape) {
                throw new IllegalArgumentException("graph outputs come from different tapes");
            }
            last = Math.max(last, o.id());
        }
        boolean[] needed = new boolean[last + 1];
        for (Tensor o : outputs) {
            needed[o.id()] = true;
        }
        List<Tensor> all = tape.nodes();
        for (int i = last; i >= 0; i--) {
            if (needed[i]) {
                Tensor n = all.get(i);
                for (int k = 0; k < n.arity(); k++) {
                    needed[n.input(k).id()] = true;
                }
            }
        }
        List<Tensor> kept = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            if (needed[i]) {
                kept.add(all.get(i));
            }
        }
        return new Graph(Collections.unmodifiableList(kept), List.of(outputs));
    }

    /** Needed nodes in tape order: every node's inputs come before it. */
    public List<Tensor> nodes() {
        return nodes;
    }

    public List<Tensor> outputs() {
        return outputs;
    }

    /** The INPUT and PARAM nodes the graph needs fed. */
    public List<Tensor> sources() {
        List<Tensor> s = new ArrayList<>();
        for (Tensor t : nodes) {
            if (t.op() == Op.INPUT || t.op() == Op.PARAM) {
                s.add(t);
            }
        }
        return s;
    }

    /** One line per node (id, op, shape, inputs, attributes), outputs marked. */
    public String dump() {
        StringBuilder b = new StringBuilder();
        for (Tensor t : nodes) {
            b.append(t.describe());
            int k = outputs.indexOf(t);
            if (k >= 0) {
                b.append("   -> output ").append(k);
            }
            b.append('\n');
        }
        return b.toString();
    }
}
