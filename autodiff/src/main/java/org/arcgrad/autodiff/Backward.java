package org.arcgrad.autodiff;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reverse mode over a tape: walks nodes from the loss backwards, applying each op's gradient rule. */
final class Backward {
    private Backward() {
    }

    static Tensor[] run(Tape tape, GradientTable table, Tensor loss, Tensor[] wrt) {
        if (loss.tape() != tape) {
            throw new IllegalArgumentException("grad: the loss belongs to another tape");
        }
        if (loss.shape().numel() != 1) {
            throw new IllegalArgumentException("grad: the loss must be a scalar, its shape is " + loss.shape()
                    + " (reduce it with sum() or mean() first)");
        }
        for (Tensor w : wrt) {
            if (w.tape() != tape) {
                throw new IllegalArgumentException("grad: %" + w.id() + " belongs to another tape");
            }
            if (w.dtype() != DType.FLOAT) {
                throw new IllegalArgumentException("grad: %" + w.id() + " is an integer tensor and has no gradient");
            }
        }
        List<Tensor> nodes = List.copyOf(tape.nodes().subList(0, loss.id() + 1));
        boolean[] onPath = dependsOnAny(nodes, wrt);

        Map<Tensor, Tensor> adjoint = new HashMap<>();
        if (onPath[loss.id()]) {
            adjoint.put(loss, tape.full(loss.shape(), 1.0));
        }
        for (int i = loss.id(); i >= 0; i--) {
            Tensor node = nodes.get(i);
            Tensor g = adjoint.get(node);
            if (g == null || node.arity() == 0) {
                continue;
            }
            if (node.isBackward()) {
                throw new UnsupportedOperationException("grad: second derivatives are not supported; the loss depends on "
                        + node.describe() + ", which an earlier grad() created (at " + node.site() + ")");
            }
            Op.GradRule rule = table.rule(node.op());
            if (rule == null) {
                continue;
            }
            Tensor[] grads = rule.apply(node, g);
            for (int k = 0; k < node.arity(); k++) {
                Tensor in = node.input(k);
                if (grads[k] == null || !onPath[in.id()]) {
                    continue;
                }
                Tensor gk = grads[k].shape().equals(in.shape()) ? grads[k] : grads[k].sumTo(in.shape());
                Tensor prev = adjoint.get(in);
                adjoint.put(in, prev == null ? gk : prev.add(gk));
            }
        }
        Tensor[] out = new Tensor[wrt.length];
        for (int k = 0; k < wrt.length; k++) {
            Tensor g = adjoint.get(wrt[k]);
            out[k] = g != null ? g : tape.full(wrt[k].shape(), 0.0);
        }
        return out;
    }

    /** onPath[id]: the node is one of {@code wrt} or depends on one; only those need gradients. */
    private static boolean[] dependsOnAny(List<Tensor> nodes, Tensor[] wrt) {
        boolean[] on = new boolean[nodes.size()];
        for (Tensor w : wrt) {
            if (w.id() < on.length) {
                on[w.id()] = true;
            }
        }
        for (Tensor n : nodes) {
            for (int k = 0; k < n.arity() && !on[n.id()]; k++) {
                on[n.id()] = on[n.input(k).id()];
            }
        }
        return on;
    }
}
