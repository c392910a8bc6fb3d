package org.arcgrad.opencl;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Set;
import org.arcgrad.autodiff.Graph;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.BufferAssignment;
import org.arcgrad.opencl.compile.BufferPlanCheck;
import org.arcgrad.opencl.compile.KernelPlan;
import org.arcgrad.opencl.compile.PlanChoice;
import org.arcgrad.tests.gradients.Dag;
import org.arcgrad.tests.gradients.DagGen;
import org.arcgrad.tests.opencl.DeviceAgreement;
import org.arcgrad.tests.opencl.GramMatrixReproductionTest;
import org.arcgrad.tests.opencl.SharedDevice;
import org.arcgrad.tests.property.DefaultKnobs;
import org.arcgrad.tests.property.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The old buffer-planning fault (a slot freed twice when one kernel reads it twice), planted with
 * {@link DoubleFreePlanner}, is caught twice over: the plan check rejects its plan at compile time
 * naming the two values, and, with the check switched off, the differential property on
 * multi-output graphs with shared nodes finds the wrong numbers it gives.
 */
@ExtendWith(DefaultKnobs.class)
class PlantedDoubleFreeTest {
    @Test
    void thePlanCheckRejectsThePlantedPlanOfTheReproductionNamingBothValues() {
        GramMatrixReproductionTest.Graph g = GramMatrixReproductionTest.graph();
        KernelPlan plan = KernelPlan.of(Graph.of(g.hi(), g.lo()));
        Tensor hi = KernelPlan.storage(g.hi());
        Tensor lo = KernelPlan.storage(g.lo());
        Set<Tensor> kept = Set.of(hi, lo);
        BufferAssignment planted = new DoubleFreePlanner().plan(plan.kernels(), kept);
        BufferPlanCheck.BufferPlanViolation v = assertThrows(BufferPlanCheck.BufferPlanViolation.class,
                () -> BufferPlanCheck.verify(plan.kernels(), planted, kept, Set.of()));
        String m = v.getMessage();
        assertTrue(m.contains("%" + hi.id() + " ") && m.contains("%" + lo.id() + " "), m);
        assertTrue(m.startsWith("internal error"), m);
        BufferPlanCheck.verify(plan.kernels(), BufferAssignment.of(plan.kernels(), kept), kept, Set.of());

        assertThrows(BufferPlanCheck.BufferPlanViolation.class, () -> Executable.compile(SharedDevice.context(),
                Executable.planFor(SharedDevice.context(), PlanChoice.AUTO, g.hi(), g.lo()), false, new DoubleFreePlanner(), true).close());
    }

    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void theDifferentialPropertyFindsThePlantedFaultWithTheCheckOff(PlanChoice choice) {
        // The fault needs one buffer read twice by one kernel (h·hᵀ of a shared node, as the Gram and
        // label-equality forms make). 11 of 150 generated graphs exposed it when measured, before the
        // custom-loss forms joined the generator and diluted those; the run stops at the first. The
        // seed is pinned and nothing is shrunk: the test asks only that the property find the fault,
        // and unpinned it took 2 to 160 s (each try and each shrinking trial compiles a graph), too
        // much of a 15-minute suite. Seed 17 finds it at its first graph under both plans; seed 2, the
        // one before, had come to take 31 s (CPU plan) and 24 s (GPU plan) as the generator grew. In a
        // scan of 25 graphs a seed, 17 of seeds 1 to 40 found it under the CPU plan, 14 of seeds 1 to 33 under the GPU plan. The random search is
        // DevicePropertiesTest's.
        Property.Outcome<Dag> o = Property.named("multi-output graphs with a planted double free").tries(400).seed(17).shrinking(0, 0)
                .run(DagGen.dags(), d -> {
            Dag.Built b = d.build();
            DeviceAgreement.assertAgrees(b.outputs(), b.feeds(), new Random(d.seed()), b.names()::get, b.tape().dump(),
                    outs -> Executable.compile(SharedDevice.context(), Executable.planFor(SharedDevice.context(), choice, outs), false,
                            new DoubleFreePlanner(), false));
        });
        assertNotNull(o.failure(), "the planted double free went unnoticed in " + o.tries() + " graphs");
        assertTrue(o.failure().error().getMessage().contains("device"), o.failure().error().getMessage());
    }
}
