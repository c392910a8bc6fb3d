package org.arcgrad.tests.gradients;

import java.util.HashMap;
import java.util.Map;
import org.arcgrad.autodiff.GradientTable;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Op;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * A {@link GradCase} built on a tape of our own, the way GradCheck builds it (parameters named
 * arg0, arg1, …), with feeds for every source: for the checks GradCheck does not do itself (zero
 * cotangent, determinism, one-sided differences, kink detection) and for printing the tape.
 */
public record BuiltCase(Tape tape, Tensor[] args, Tensor out, Map<Tensor, NDArray> feeds) {
    public static BuiltCase of(GradCase c, GradientTable rules) {
        Tape tape = new Tape(rules);
        Tensor[] args = new Tensor[c.inputs().size()];
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            args[i] = tape.param("arg" + i, c.inputs().get(i).shape().dims());
            feeds.put(args[i], c.inputs().get(i).copy());
        }
        Tensor out = c.fn().apply(tape, args);
        for (Tensor t : tape.nodes()) {
            if (t.op() == Op.INPUT && c.fixed().containsKey(t.name())) {
                feeds.put(t, c.fixed().get(t.name()));
            }
        }
        return new BuiltCase(tape, args, out, feeds);
    }

    /** Adds an input named {@code name} of the output's shape, fed with {@code value}, and returns ⟨out, value⟩. */
    public Tensor dot(String name, NDArray value) {
        Tensor v = tape.input(name, out.shape().dims());
        feeds.put(v, value);
        return out.mul(v).sum();
    }

    /** The forward expression as the tape prints it, for failure messages. */
    static String dump(GradCase c) {
        try {
            return of(c, GradientTable.STANDARD).tape().dump();
        } catch (RuntimeException e) {
            return "(the case does not build: " + e + ")";
        }
    }
}
