package org.arcgrad.arcface.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The MLP builder's structure and parameter names (torch state_dict names). */
class MlpTest {
    @Test
    void theDefaultBackboneOfTheRecipe() {
        Sequential m = Mlp.builder(784).hidden(512, 256).embedding(128).build();
        assertEquals("Linear(784 → 512) → BatchNorm(512) → ReLU → Linear(512 → 256) → BatchNorm(256) → ReLU → Linear(256 → 128)"
                + " → BatchNorm(128)", m.describe());
        assertEquals(128, m.outFeatures(784));
        assertEquals(List.of("fc1.weight", "fc1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "fc2.weight", "fc2.bias", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var",
                "fc3.weight", "fc3.bias", "bn3.weight", "bn3.bias", "bn3.running_mean", "bn3.running_var"),
                m.parameters().stream().map(ParameterSpec::name).toList());
        assertEquals(6, m.parameters().stream().filter(p -> !p.trainable()).count(), "two state tensors per batch norm");
    }

    @Test
    void preluDropoutAndNoBatchNorm() {
        Sequential m = Mlp.builder(10).hidden(8).embedding(4).activation(Mlp.Activation.PRELU).dropout(0.2)
                .batchNorm(false).embeddingBatchNorm(false).build();
        assertEquals("Linear(10 → 8) → PReLU(1) → Dropout(0.2) → Linear(8 → 4)", m.describe());
    }

    @Test
    void wrongInputWidthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Mlp.builder(784).hidden(16).build().outFeatures(100));
    }
}
