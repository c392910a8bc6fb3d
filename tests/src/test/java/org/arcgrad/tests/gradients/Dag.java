package org.arcgrad.tests.gradients;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;

/**
 * A random graph with several outputs that share nodes (see {@link DagGen}): some outputs are
 * inner nodes of others, and with them the gradients of every parameter, either of one loss
 * Σᵢ⟨outputᵢ, vᵢ⟩ or of each output's own loss ⟨outputᵢ, vᵢ⟩ (several losses' backward passes in
 * one graph, as when a user compiles two losses together). It shrinks by dropping an output or
 * shrinking one; the others keep what they share.
 */
public final class Dag {
    private final List<Expr> outputs;
    private final boolean lossPerOutput;
    /** Draws the cotangents vᵢ. */
    private final long seed;

    Dag(List<Expr> outputs, boolean lossPerOutput, long seed) {
        this.outputs = List.copyOf(outputs);
        this.lossPerOutput = lossPerOutput;
        this.seed = seed;
    }

    /**
     * The graph on a tape: parameters arg0, … with their values, labels and cotangents fed; the
     * outputs to compile, each with what it is ("output 1", "gradient of arg0 of output 1's loss").
     */
    public record Built(Tape tape, List<Tensor> outputs, List<String> names, Map<Tensor, NDArray> feeds) {
    }

    /**
     * Builds the outputs, then the gradients of every parameter: [outputs…, d/d args of the loss]
     * or [outputs…, d/d args of output 0's loss, d/d args of output 1's loss, …].
     */
    public Built build() {
        Random random = new Random(seed);
        List<Expr> params = new ArrayList<>();
        List<Expr> labels = new ArrayList<>();
        Expr.collect(outputs, params, labels);
        Tape tape = new Tape();
        Tensor[] args = new Tensor[params.size()];
        Map<Tensor, NDArray> feeds = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            Expr p = params.get(i);
            args[i] = tape.param("arg" + i, p.shape().dims());
            feeds.put(args[i], p.paramValues());
        }
        Expr.Builder builder = new Expr.Builder(tape, args);
        List<Tensor> values = new ArrayList<>();
        for (Expr e : outputs) {
            values.add(builder.build(e).t());
        }
        for (int i = 0; i < labels.size(); i++) {
            feeds.put(builder.build(labels.get(i)).t(), labels.get(i).labelValues());
        }
        List<Tensor> all = new ArrayList<>(values);
        List<String> names = new ArrayList<>();
        Tensor total = null;
        for (int k = 0; k < values.size(); k++) {
            names.add("output " + k);
            Tensor v = tape.input("cotangent" + k, values.get(k).shape().dims());
            feeds.put(v, NDArray.gaussian(v.shape(), random));
            Tensor loss = values.get(k).mul(v).sum();
            if (lossPerOutput) {
                all.addAll(List.of(tape.grad(loss, args)));
                for (int a = 0; a < args.length; a++) {
                    names.add("gradient of arg" + a + " of output " + k + "'s loss");
                }
            } else {
                total = total == null ? loss : total.add(loss);
            }
        }
        if (!lossPerOutput) {
            all.addAll(List.of(tape.grad(total, args)));
            for (int a = 0; a < args.length; a++) {
                names.add("gradient of arg" + a);
            }
        }
        return new Built(tape, all, names, feeds);
    }

    public int outputs() {
        return outputs.size();
    }

    public boolean lossPerOutput() {
        return lossPerOutput;
    }

    public long seed() {
        return seed;
    }

    /** Smaller graphs: without one output, or with one output shrunk (any of its inner nodes may replace it). */
    Stream<Dag> shrinks() {
        Stream<Dag> fewer = outputs.size() < 2 ? Stream.empty() : IntStream.range(0, outputs.size()).mapToObj(i -> {
            List<Expr> rest = new ArrayList<>(outputs);
            rest.remove(i);
            return new Dag(rest, lossPerOutput, seed);
        });
        Stream<Dag> smaller = IntStream.range(0, outputs.size()).boxed().flatMap(i -> ExprGen.rootShrinks(outputs.get(i)).map(e -> {
            List<Expr> copy = new ArrayList<>(outputs);
            copy.set(i, e);
            return new Dag(copy, lossPerOutput, seed);
        }));
        Stream<Dag> oneLoss = lossPerOutput ? Stream.of(new Dag(outputs, false, seed)) : Stream.empty();
        return Stream.concat(Stream.concat(fewer, oneLoss), smaller);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        Expr.Printer printer = new Expr.Printer(outputs);
        for (int k = 0; k < outputs.size(); k++) {
            b.append("output ").append(k).append(" = ");
            printer.print(outputs.get(k), b);
            b.append("   (result ").append(outputs.get(k).shape()).append(")\n");
        }
        return b.append(lossPerOutput ? "gradients of each output's own loss" : "gradients of one loss over all outputs")
                .append("; cotangent seed ").append(seed).toString();
    }
}
