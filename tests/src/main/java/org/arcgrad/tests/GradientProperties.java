package org.arcgrad.tests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.GradCheck;
import org.arcgrad.autodiff.Interpreter;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.opencl.DeviceComparison;
import org.arcgrad.tests.opencl.SharedDevice;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Property;

/**
 * Property tests of a loss you wrote, from a JUnit 5 test in a few lines:
 *
 * <pre>{@code
 * GradientProperties.of((tape, in) -> myLoss(in.get("x"), in.get("w"), in.get("y")))
 *         .input("x", 8, 16)
 *         .input("w", 10, 16)
 *         .labels("y", 8, 10)
 *         .cosineEdges("x", "w", "y")   // margin losses: rows of x at cos ±1, 0 from their class weight
 *         .check();
 * }</pre>
 *
 * <p>{@link #check()} runs three properties over generated inputs, each with a printed seed,
 * a replay line and shrinking to a small failing case ({@link Property}):
 * <ol>
 *   <li>gradients: every input's analytic gradient against central differences in fp64
 *       ({@link GradCheck}: an element whose step crosses a kink, such as a margin head's th or a
 *       ReLU's zeros tied in a pooling window, is not judged; with {@link #holdDetached()}
 *       detached values are held fixed);</li>
 *   <li>edges: at the edge cases (cosine edges on every row, zeros, ties, labels 0 and C − 1) the
 *       loss and every gradient are finite, on the interpreter and on the OpenCL device;</li>
 *   <li>device: the loss and its gradients computed by the OpenCL backend in fp32, under the CPU and
 *       the GPU kernel plan, agree with the fp64 interpreter within its rounding-noise tolerance,
 *       on ordinary inputs (at the cosine edges the edge property holds the device to finite values).
 *       Without an OpenCL device this one is skipped with a line on standard error, unless
 *       {@link #requireDevice()}.</li>
 * </ol>
 * A loss with a non-scalar output is checked through ⟨output, v⟩ for a random v.
 */
public final class GradientProperties {
    /** Builds the loss on {@code tape} from the inputs declared by name. */
    @FunctionalInterface
    public interface Loss {
        Tensor build(Tape tape, Inputs in);
    }

    /** The declared inputs as tensors on the tape, by name. */
    public static final class Inputs {
        private final Map<String, Tensor> byName;

        private Inputs(Map<String, Tensor> byName) {
            this.byName = byName;
        }

        public Tensor get(String name) {
            Tensor t = byName.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no input named \"" + name + "\"; declared: " + byName.keySet());
            }
            return t;
        }
    }

    private enum Kind { DIFFERENTIABLE, FIXED, LABELS }

    private record Declared(String name, Kind kind, Shape shape, Gen<NDArray> values) {
    }

    private record Edges(String features, String weights, String labels, double[] cosines) {
    }

    /** One generated set of input values, by name, in declaration order. */
    public record Case(Map<String, NDArray> values) {
        /** A seed that follows from the values alone, so a replayed case draws the same cotangent and noise. */
        long seed() {
            long h = 17;
            for (NDArray v : values.values()) {
                h = 31 * h + java.util.Arrays.hashCode(v.data());
            }
            return h;
        }

        /** Every value of an input up to {@value #SHOWN_IN_FULL} elements (a shrunk case is small), else NDArray's summary. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            values.forEach((k, v) -> b.append(b.length() == 0 ? "" : "\n").append(k).append(" = ").append(
                    v.data().length <= SHOWN_IN_FULL ? "NDArray" + v.shape() + " " + java.util.Arrays.toString(v.data()) : v));
            return b.toString();
        }

        private static final int SHOWN_IN_FULL = 64;
    }

    private final Loss loss;
    private final List<Declared> inputs = new ArrayList<>();
    private Edges edges;
    private boolean holdDetached;
    private boolean requireDevice;
    private Integer tries;
    private Long seed;
    private double atol = 1e-5;
    private double rtol = 1e-3;

    private GradientProperties(Loss loss) {
        this.loss = loss;
    }

    public static GradientProperties of(Loss loss) {
        return new GradientProperties(loss);
    }

    /** A differentiable float input: values in [−2, 2] with 0, ±1 and ties mixed in. */
    public GradientProperties input(String name, int... shape) {
        return input(name, TensorGens.values(Shape.of(shape)));
    }

    /** A differentiable float input with values from {@code values}. */
    public GradientProperties input(String name, Gen<NDArray> values) {
        return declare(new Declared(name, Kind.DIFFERENTIABLE, null, values));
    }

    /** A float input fed as {@code value} and not differentiated (a running statistic, a margin table). */
    public GradientProperties fixed(String name, NDArray value) {
        return declare(new Declared(name, Kind.FIXED, value.shape(), Gen.constant(value)));
    }

    /** Integer labels [n] in [0, classes), 0 and classes − 1 favoured. */
    public GradientProperties labels(String name, int n, int classes) {
        return declare(new Declared(name, Kind.LABELS, Shape.of(n), TensorGens.labels(n, classes)));
    }

    /**
     * Places rows of {@code features} [N, D] at chosen cosines from the row of {@code weights}
     * [C, D] their label picks (half the rows in ordinary cases, every row in the edge property):
     * by default 1, −1, 0, 1 − 1e-7 and −1 + 1e-7, where margin heads have their kinks and their
     * clamped square roots. Pass the cosines you care about, e.g. a head's threshold th.
     */
    public GradientProperties cosineEdges(String features, String weights, String labels, double... cosines) {
        this.edges = new Edges(features, weights, labels, cosines.length > 0 ? cosines.clone() : TensorGens.EDGE_COSINES.clone());
        return this;
    }

    /** Holds detached values fixed in the gradient property (see {@link GradCheck#holdDetached()}). */
    public GradientProperties holdDetached() {
        this.holdDetached = true;
        return this;
    }

    /** Fails the device property when no OpenCL device can be opened, instead of skipping it. */
    public GradientProperties requireDevice() {
        this.requireDevice = true;
        return this;
    }

    /** Tries per property (default {@value Property#DEFAULT_TRIES}; -Darcgrad.tries=N overrides). */
    public GradientProperties tries(int n) {
        this.tries = n;
        return this;
    }

    /** A fixed seed (a failure's report prints the seed to put here, or to pass as -Darcgrad.seed=S). */
    public GradientProperties seed(long s) {
        this.seed = s;
        return this;
    }

    /** The gradient check's bar: |analytic − numeric| ≤ atol + rtol·|numeric| (defaults 1e-5, 1e-3). */
    public GradientProperties tolerances(double atol, double rtol) {
        this.atol = atol;
        this.rtol = rtol;
        return this;
    }

    private GradientProperties declare(Declared d) {
        for (Declared e : inputs) {
            if (e.name().equals(d.name())) {
                throw new IllegalArgumentException("input \"" + d.name() + "\" is declared twice");
            }
        }
        inputs.add(d);
        return this;
    }

    // ---- the properties ----------------------------------------------------------------------

    /** All three properties: gradients, edges, device. */
    public void check() {
        checkGradients();
        checkEdges();
        checkDevice();
    }

    /** Analytic gradients against central differences in fp64. */
    public void checkGradients() {
        config("analytic gradient = central difference (fp64)").forAll(cases(0.5), c -> {
            GradCheck.Report r = gradCheck(c);
            if (!r.passed()) {
                throw new AssertionError(r.toString());
            }
        });
    }

    /** The loss and every gradient finite at the edges, on the interpreter (and the device, when there is one). */
    public void checkEdges() {
        boolean device = deviceAvailable("edge cases on the device");
        config("finite loss and gradients at the edges").forAll(cases(1.0), c -> {
            Built b = build(c);
            NDArray[] values = Interpreter.run(b.feeds(), b.outputs().toArray(new Tensor[0]));
            assertFinite(values, b, "interpreter (fp64)");
            if (device) {
                for (PlanChoice plan : List.of(PlanChoice.CPU, PlanChoice.GPU)) {
                    try (var e = DeviceComparison.under(plan).apply(b.outputs().toArray(new Tensor[0]))) {
                        assertFinite(e.run(b.feeds()), b, "OpenCL, " + plan + " plan (fp32)");
                    }
                }
            }
        });
    }

    /** OpenCL (fp32, both kernel plans) against the interpreter (fp64). */
    public void checkDevice() {
        if (!deviceAvailable("the device property")) {
            return;
        }
        for (PlanChoice plan : List.of(PlanChoice.CPU, PlanChoice.GPU)) {
            // Ordinary values only: at the cosine edges a loss is ill-conditioned on purpose (1 − c² of
            // a cosine next to 1), where fp32 and fp64 part by more than rounding noise predicts;
            // checkEdges holds the device to finite values there.
            config("OpenCL (" + plan + " plan) = interpreter").forAll(cases(0), c -> {
                Built b = build(c);
                DeviceComparison.compare(b.outputs(), b.feeds(), new Random(c.seed()), DeviceComparison.under(plan))
                        .ifPresent(d -> {
                            throw new AssertionError(b.names().get(d.output()) + ": " + d);
                        });
            });
        }
    }

    private Property.Config config(String what) {
        Property.Config c = Property.named("loss: " + what);
        if (tries != null) {
            c = c.tries(tries);
        }
        return seed == null ? c : c.seed(seed);
    }

    private boolean deviceAvailable(String what) {
        try {
            SharedDevice.context();
            return true;
        } catch (RuntimeException | LinkageError e) {
            if (requireDevice) {
                throw new AssertionError("no OpenCL device for " + what + ": " + e.getMessage(), e);
            }
            System.err.println("GradientProperties: " + what + " skipped, no OpenCL device: " + e.getMessage());
            return false;
        }
    }

    // ---- cases -------------------------------------------------------------------------------

    /** Input values; with {@code edgeRows} of the feature rows placed at the cosine edges. */
    private Gen<Case> cases(double edgeRows) {
        if (inputs.isEmpty()) {
            throw new IllegalStateException("declare the loss's inputs with input(...), labels(...) or fixed(...)");
        }
        List<Gen<NDArray>> gens = new ArrayList<>();
        for (Declared d : inputs) {
            gens.add(edgeRows == 1.0 && d.kind() == Kind.DIFFERENTIABLE ? TensorGens.edgeValues(d.values()) : d.values());
        }
        Gen<Case> plain = Gen.sequence(gens).map(list -> {
            Map<String, NDArray> m = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                m.put(inputs.get(i).name(), list.get(i));
            }
            return new Case(m);
        });
        if (edges == null || edgeRows == 0) {
            return plain;
        }
        return Gen.zip(plain, org.arcgrad.tests.property.Gens.seeds(), (c, s) -> {
            Map<String, NDArray> m = new LinkedHashMap<>(c.values());
            m.put(edges.features(), TensorGens.atCosines(value(m, edges.features()), value(m, edges.weights()),
                    value(m, edges.labels()), edges.cosines(), edgeRows, new Random(s)));
            return new Case(m);
        });
    }

    private static NDArray value(Map<String, NDArray> m, String name) {
        NDArray v = m.get(name);
        if (v == null) {
            throw new IllegalArgumentException("cosineEdges names \"" + name + "\", which is not declared; declared: " + m.keySet());
        }
        return v;
    }

    private GradCheck.Report gradCheck(Case c) {
        List<String> differentiable = new ArrayList<>();
        List<NDArray> values = new ArrayList<>();
        for (Declared d : inputs) {
            if (d.kind() == Kind.DIFFERENTIABLE) {
                differentiable.add(d.name());
                values.add(c.values().get(d.name()));
            }
        }
        if (differentiable.isEmpty()) {
            throw new IllegalStateException("no differentiable input: declare one with input(...)");
        }
        GradCheck check = GradCheck.of((tape, args) -> {
            Map<String, Tensor> byName = new LinkedHashMap<>();
            for (Declared d : inputs) {
                byName.put(d.name(), d.kind() == Kind.DIFFERENTIABLE ? args[differentiable.indexOf(d.name())]
                        : source(tape, d, c.values().get(d.name()).shape()));
            }
            return loss.build(tape, new Inputs(byName));
        }).tolerances(atol, rtol);
        for (Declared d : inputs) {
            if (d.kind() != Kind.DIFFERENTIABLE) {
                check = check.fixed(d.name(), c.values().get(d.name()));
            }
        }
        if (holdDetached) {
            check = check.holdDetached();
        }
        return check.check(values.toArray(new NDArray[0]));
    }

    /** The loss and its gradients as one graph, with feeds. */
    private record Built(List<Tensor> outputs, List<String> names, Map<Tensor, NDArray> feeds) {
    }

    private Built build(Case c) {
        Tape tape = new Tape();
        Map<String, Tensor> byName = new LinkedHashMap<>();
        Map<Tensor, NDArray> feeds = new LinkedHashMap<>();
        List<Tensor> params = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of("loss"));
        for (Declared d : inputs) {
            NDArray v = c.values().get(d.name()).copy();
            Tensor t = source(tape, d, v.shape());
            if (d.kind() == Kind.DIFFERENTIABLE) {
                params.add(t);
                names.add("gradient of " + d.name());
            }
            byName.put(d.name(), t);
            feeds.put(t, v);
        }
        Tensor out = loss.build(tape, new Inputs(byName));
        Tensor scalar = out;
        if (out.shape().numel() != 1) {
            Tensor v = tape.input("gradientProperties.cotangent", out.shape().dims());
            feeds.put(v, NDArray.gaussian(out.shape(), new Random(c.seed())));
            scalar = out.mul(v).sum();
        }
        List<Tensor> outputs = new ArrayList<>(List.of(out));
        outputs.addAll(List.of(tape.grad(scalar, params.toArray(new Tensor[0]))));
        return new Built(outputs, names, feeds);
    }

    /** The tape source of a declared input: a parameter, a fed float input or fed labels. */
    private static Tensor source(Tape tape, Declared d, Shape shape) {
        return switch (d.kind()) {
            case DIFFERENTIABLE -> tape.param(d.name(), shape.dims());
            case FIXED -> tape.input(d.name(), shape.dims());
            case LABELS -> tape.labels(d.name(), shape.dims());
        };
    }

    private static void assertFinite(NDArray[] values, Built b, String where) {
        for (int k = 0; k < values.length; k++) {
            double[] d = values[k].data();
            for (int i = 0; i < d.length; i++) {
                if (!Double.isFinite(d[i])) {
                    throw new AssertionError(where + ": " + b.names().get(k) + " is " + d[i] + " at element " + i);
                }
            }
        }
    }
}
