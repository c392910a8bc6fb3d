package org.arcgrad.tests.pairs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.arcgrad.arcface.eval.Json;
import org.arcgrad.arcface.npy.NpyArray;
import org.arcgrad.arcface.npy.NpyReader;
import org.arcgrad.arcface.pairs.BatchHardTripletLoss;
import org.arcgrad.arcface.pairs.CircleLoss;
import org.arcgrad.arcface.pairs.ContrastiveLoss;
import org.arcgrad.arcface.pairs.MultiSimilarityLoss;
import org.arcgrad.arcface.pairs.PairLoss;
import org.arcgrad.autodiff.NDArray;
import org.arcgrad.autodiff.Shape;

/**
 * One case of {@code src/test/resources/fixtures/pairs/<case>/} (tools/make_pair_loss_fixtures.py):
 * embeddings and labels, and per loss its parameters, its loss and the gradient w.r.t. the
 * embeddings that the transcription of the published code gave in float64.
 */
record PairLossFixture(String name, NDArray x, NDArray labels, JsonNode losses) {
    static final String ROOT = "/fixtures/pairs/";
    static final List<String> LOSSES = List.of("circle", "multi_similarity", "contrastive", "triplet");

    static List<String> cases() {
        return new String(read(ROOT + "cases.txt"), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    static PairLossFixture load(String name) {
        NpyArray x = npy(name, "x.npy");
        double[] labels = Arrays.stream(npy(name, "labels.npy").toLongArray()).asDoubleStream().toArray();
        JsonNode json = Json.parse(new String(read(ROOT + name + "/case.json"), StandardCharsets.UTF_8));
        return new PairLossFixture(name, NDArray.of(Shape.of(x.shape()), x.toDoubleArray()), NDArray.of(Shape.of(labels.length), labels),
                json.get("losses"));
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
        return npy(name, loss + "_loss.npy").toDoubleArray()[0];
    }

    double[] expectedGradX(String loss) {
        return npy(name, loss + "_grad_x.npy").toDoubleArray();
    }

    private static NpyArray npy(String name, String file) {
        String path = ROOT + name + "/" + file;
        try {
            return NpyReader.read(read(path), path);
        } catch (IOException e) {
            throw new IllegalStateException(path + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(String path) {
        try (InputStream in = PairLossFixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("fixture " + path + " is missing; regenerate with /usr/bin/python3 tools/make_pair_loss_fixtures.py");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(path + ": " + e.getMessage(), e);
        }
    }
}
