package org.arcgrad.tests.gradients;

import java.util.ArrayList;
import java.util.List;
import org.arcgrad.tests.property.Gen;
import org.arcgrad.tests.property.Gens;

/** Every kind of case at once: random expressions and each op's and composite's catalogue, for properties of backward as a whole. */
public final class AllCases {
    private AllCases() {
    }

    public static Gen<GradCase> any() {
        List<Gen<GradCase>> gens = new ArrayList<>();
        gens.add(ExprGen.exprs().map(Expr::toCase));
        gens.add(Gens.oneOf(new ArrayList<>(OpCases.catalogue().values())));
        gens.add(Gens.oneOf(new ArrayList<>(CompositeCases.catalogue().values())));
        return Gens.oneOf(gens);
    }

    /** Random expressions with rows of 4 to 32 elements ({@link ExprGen#wideRows()}): what the CPU plan's row kernels take. */
    public static Gen<GradCase> wideRows() {
        return ExprGen.wideRows().map(Expr::toCase);
    }
}
