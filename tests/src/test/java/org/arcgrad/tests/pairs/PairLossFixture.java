package org.arcgrad.tests.pairs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.arcgrad.arcface.pairs.BatchHardTripletLoss;
import org.arcgrad.arcface.pairs.CircleLoss;
import org.arcgrad.arcface.pairs.ContrastiveLoss;
import org.arcgrad.arcface.pairs.MultiSimilarityLoss;
import org.arcgrad.arcface.pairs.PairLoss;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.tests.fixtures.FixtureFiles;

/**
 * One case of {@code src/test/resources/fixtures/pairs/<case>/} (tools/make_pair_loss_fixtures.py):
 * embeddings and labels, and per loss its parameters, its loss and the gradient w.r.t. the
 * embeddings that the transcription of the published code gave in float64.
 */
record PairLossFixture(String name, NDArray x, NDArray labels, JsonNode losses) {
    static final FixtureFiles FILES = new FixtureFiles("/fixtures/pairs/", "tools/make_pair_loss_fixtures.py");
    static final List<String> LOSSES = List.of("circle", "multi_similarity", "contrastive", "triplet");

    static List<String> cases() {
        return FILES.names();
    }

    static PairLossFixture load(String name) {
        return new PairLossFixture(name, FILES.array(name, "x.npy"), FILES.array(name, "labels.npy"), FILES.jsonTree(name).get("losses"));
    }

    /** The losses this case holds, in the order of {@link #LOSSES}. */
    List<String> lossNames() {
        return LOSSES.stream().filter(losses::has).toList();
    }

    int n() {
        return x.shape().dim(0);
    }

    /** The loss of that name with the case's parameters for it. */
    PairLoss loss(String loss) {
        JsonNode p = losses.get(loss).get("params");
        return switch (loss) {
            case "circle" -> new CircleLoss(p.get("m").asDouble(), p.get("gamma").asDouble());
            case "multi_similarity" -> new MultiSimilarityLoss(p.get("alpha").asDouble(), p.get("beta").asDouble(), p.get("lam").asDouble(),
                    p.get("eps").asDouble());
            case "contrastive" -> new ContrastiveLoss(p.get("pos_margin").asDouble(), p.get("neg_margin").asDouble());
            case "triplet" -> new BatchHardTripletLoss(p.get("margin").asDouble(), p.get("soft").asBoolean());
            default -> throw new IllegalArgumentException("no loss " + loss);
        };
    }

    double expectedLoss(String loss) {
        return FILES.array(name, loss + "_loss.npy").data()[0];
    }

    double[] expectedGradX(String loss) {
        return FILES.array(name, loss + "_grad_x.npy").data();
    }
}
