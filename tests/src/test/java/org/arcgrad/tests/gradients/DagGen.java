package org.arcgrad.tests.gradients;

import java.util.ArrayList;
import java.util.List;
import org.arcgrad.tests.property.Gen;

/**
 * Random graphs with several outputs over one pool of shared nodes ({@link ExprGen}): one to four
 * outputs, each a new expression or (a third of the time) an inner node of an earlier one, so that
 * some outputs feed others; gradients of one combined loss or of each output's own loss. Half the
 * new expressions are square matrices, where the patterns of pairwise losses apply (Gram and
 * distance matrices, label-equality masks).
 */
public final class DagGen {
    private DagGen() {
    }

    public static Gen<Dag> dags() {
        return Gen.of((random, size) -> {
            ExprGen g = ExprGen.sized(random, size);
            int depth = ExprGen.depthFor(size);
            int count = 1 + random.nextInt(4);
            List<Expr> outputs = new ArrayList<>();
            while (outputs.size() < count) {
                Expr earlier = !outputs.isEmpty() && random.nextDouble() < 1.0 / 3 ? g.earlier() : null;
                outputs.add(earlier != null ? earlier : random.nextBoolean() ? g.square(depth) : g.root(depth));
            }
            return new Dag(outputs, random.nextBoolean(), random.nextLong());
        }, Dag::shrinks);
    }
}
