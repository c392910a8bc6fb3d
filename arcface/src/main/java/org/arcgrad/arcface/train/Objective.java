package org.arcgrad.arcface.train;

import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.pairs.PairLoss;

/**
 * What a network's embeddings are trained against: a margin head over class weights W (the
 * classifier losses: ArcFace and its family, trained with cross-entropy over the classes), or a
 * loss over the pairs of each batch (circle, triplet, contrastive, multi-similarity), which has no
 * weights of its own and wants batches of several samples per class (a P×K sampler).
 */
public sealed interface Objective {
    /** A margin head whose class weights W [classes · rowsPerClass, embedding] train with the backbone. */
    record Head(MarginHead head, int rowsPerClass) implements Objective {
        public Head {
            if (rowsPerClass < 1) {
                throw new IllegalArgumentException("a head needs ≥ 1 row of W per class, got " + rowsPerClass);
            }
        }
    }

    /** A loss over the batch's pairs of embeddings: no parameters beyond the backbone's. */
    record Pairs(PairLoss loss) implements Objective {
    }
}
