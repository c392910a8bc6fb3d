package org.arcgrad.tests.training;

import java.util.List;
import org.arcgrad.arcface.data.SyntheticIdentities;
import org.arcgrad.arcface.data.SyntheticSpec;
import org.arcgrad.arcface.data.TrainTestSplit;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.train.Network;
import org.arcgrad.arcface.train.Recipe;

/**
 * The small training problem the training tests share, so that they compile one training graph
 * and one inference graph between them: 10 synthetic identities in 32 dimensions (1 000 training
 * samples, 400 test samples, σ = 2: samples about 63° from their center, so classes overlap and
 * accuracy has room to grow), a 32-32-16 MLP with batch norm, ArcFace s = 30, m = 0.5, and the
 * default optimizer and schedule with batch 64 (15 steps an epoch).
 */
final class SmallRun {
    static final SyntheticSpec DATA = new SyntheticSpec(10, 32, 100, 40, 2.0, true, 7);

    private SmallRun() {
    }

    static TrainTestSplit<SyntheticIdentities> data() {
        return SyntheticIdentities.split(DATA);
    }

    static Recipe recipe(int epochs) {
        return new Recipe().hidden(List.of(32)).embedding(16).batch(64).epochs(epochs).seed(3).dataset("synthetic test set");
    }

    static Network network(Recipe recipe) {
        return recipe.network(DATA.dim(), new ArcFace(30, 0.5, false), DATA.classes(), 1);
    }
}
