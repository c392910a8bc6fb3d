package org.arcgrad.tests.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.arcgrad.autodiff.Shape;

/**
 * Shape generators. Dimensions of 1 get a probability of their own because they are where
 * broadcasting and reductions go wrong, and uniform sizes would rarely produce them.
 */
public final class Shapes {
    /** Probability that a dimension is exactly 1. */
    public static final double P_ONE = 0.25;

    private Shapes() {
    }

    /** Shapes of rank in [minRank, maxRank], dims in [1, maxDim] (the upper end scaled by size); shrinks rank and dims. */
    public static Gen<Shape> shapes(int minRank, int maxRank, int maxDim) {
        return Gens.ints(minRank, maxRank).flatMap(rank -> Gen.listOf(rank, dims(maxDim))).map(Shapes::of);
    }

    /** One dimension: 1 with probability {@link #P_ONE}, else uniform in [1, scaled maxDim]; shrinks toward 1. */
    public static Gen<Integer> dims(int maxDim) {
        Gen<Integer> any = Gens.intsSized(1, maxDim);
        return (random, size) -> random.nextDouble() < P_ONE ? Shrinkable.unshrinkable(1) : any.generate(random, size);
    }

    /** Operand shapes that broadcast together to {@code out} (which they were derived from). */
    public record Broadcast(Shape out, List<Shape> operands) {
        public Shape operand(int i) {
            return operands.get(i);
        }

        @Override
        public String toString() {
            return operands + " -> " + out;
        }
    }

    /**
     * {@code n} operand shapes for a broadcasting op: each operand is the output shape with, at
     * random, some leading axes dropped and some axes squeezed to 1. Shrinks toward operands equal
     * to the output (no broadcasting), then toward a smaller output.
     */
    public static Gen<Broadcast> broadcast(Gen<Shape> out, int n) {
        return out.flatMap(o -> Gen.listOf(n, derived(o)).map(list -> new Broadcast(o, List.copyOf(list))));
    }

    /** A shape that broadcasts to {@code out}: some leading axes dropped, some axes set to 1. */
    public static Gen<Shape> derived(Shape out) {
        int rank = out.rank();
        Gen<Integer> drop = Gens.booleans(0.3).flatMap(d -> d && rank > 0 ? Gens.ints(1, rank) : Gen.constant(0));
        return Gen.zip(drop, Gen.listOf(rank, Gens.booleans(0.35)), (dropped, squeeze) -> {
            int[] d = out.dims();
            for (int i = 0; i < rank; i++) {
                if (squeeze.get(i)) {
                    d[i] = 1;
                }
            }
            return Shape.of(Arrays.copyOfRange(d, dropped, rank));
        });
    }

    /** A shape with the same number of elements (a reshape target; may equal {@code from}), of rank 1 to {@code maxRank}. */
    public static Gen<Shape> reshapeOf(Shape from, int maxRank) {
        List<Integer> factors = primeFactors(from.size());
        return Gens.ints(1, maxRank).flatMap(rank -> Gen.listOf(factors.size(), Gens.ints(0, rank - 1)).map(bucket -> {
            int[] d = new int[rank];
            Arrays.fill(d, 1);
            for (int i = 0; i < factors.size(); i++) {
                d[bucket.get(i)] *= factors.get(i);
            }
            return Shape.of(d);
        }));
    }

    public static Shape of(List<Integer> dims) {
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i);
        }
        return Shape.of(d);
    }

    private static List<Integer> primeFactors(int n) {
        List<Integer> f = new ArrayList<>();
        for (int p = 2; (long) p * p <= n; p++) {
            while (n % p == 0) {
                f.add(p);
                n /= p;
            }
        }
        if (n > 1) {
            f.add(n);
        }
        return f;
    }
}
