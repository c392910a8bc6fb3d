package org.arcgrad.tests.opencl;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Tape;
import org.arcgrad.autodiff.Tensor;
import org.arcgrad.opencl.compile.PlanChoice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Matrix-product operands that are views of a transpose. The GEMM template reads a transpose of a
 * buffer as its transposed variant, without a copy; a reshape between the transpose and the
 * product that changes the shape makes that read wrong (the reshaped elements are the transpose's
 * in row-major order, not a transposed matrix). The random multi-output property found
 * {@code matmul(reshape([2, 3])(transpose(arg0[1, 6])), arg1[3, 2])} computed from the wrong
 * elements without an error (seed 5293812459415594903); these are that case and its neighbours on
 * either operand, with the reshape that keeps the shape (still a transposed read) beside them.
 */
class GemmOperandViewsTest {
    @ParameterizedTest(name = "{0} plan")
    @EnumSource(value = PlanChoice.class, names = {"CPU", "GPU"})
    void transposesReshapedBeforeAProductAreReadAsTheirElementsInOrder(PlanChoice plan) {
        Tape tape = new Tape();
        Tensor row = tape.param("row", 1, 6);
        Tensor m23 = tape.param("m23", 2, 3);
        Tensor m32 = tape.param("m32", 3, 2);
        Tensor rowAsMatrix = row.transpose().reshape(2, 3);          // the found case: [6, 1] listed as [2, 3]
        Tensor regrouped = m23.transpose().reshape(2, 3);            // [3, 2] transpose listed as [2, 3]
        Tensor sameShape = m23.transpose().reshape(6).reshape(3, 2); // reshapes that keep [3, 2]: a transposed read
        List<Tensor> outputs = List.of(
                rowAsMatrix.matmul(m32),
                regrouped.matmul(m32),
                m23.matmul(row.transpose().reshape(3, 2)),
                m23.matmul(m32.transpose().reshape(3, 2)),
                sameShape.matmul(m23),
                m23.matmul(sameShape));
        List<String> names = List.of("A = reshape(transpose(row))", "A = reshape(transpose(2×3)) to 2×3",
                "B = reshape(transpose(row))", "B = reshape(transpose(3×2)) to 3×2", "A = transpose through same-shape reshapes",
                "B = transpose through same-shape reshapes");
        Random random = new Random(11);
        Map<Tensor, NDArray> feeds = Map.of(row, NDArray.uniform(row.shape(), -1, 1, random),
                m23, NDArray.uniform(m23.shape(), -1, 1, random), m32, NDArray.uniform(m32.shape(), -1, 1, random));
        DeviceAgreement.assertDeviceMatchesInterpreter(outputs, feeds, plan, random, names::get, tape.dump());
    }
}
