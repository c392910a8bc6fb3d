/**
 * Losses over the pairs of a batch of embeddings and their labels (issue 12), written in DSL ops:
 * {@link org.arcgrad.arcface.pairs.CircleLoss}, {@link org.arcgrad.arcface.pairs.MultiSimilarityLoss}
 * (with its mining), {@link org.arcgrad.arcface.pairs.ContrastiveLoss} and
 * {@link org.arcgrad.arcface.pairs.BatchHardTripletLoss}. Each follows a published implementation
 * (named in its javadoc) and is held to a float64 transcription of it
 * ({@code tools/make_pair_loss_fixtures.py}) in the tests.
 *
 * <pre>{@code
 * Tape tape = new Tape();
 * Tensor e = tape.param("embeddings", 64, 128);   // a P×K batch: 16 labels × 4 samples
 * Tensor y = tape.labels("labels", 64);
 * Tensor loss = new CircleLoss(0.25, 256).loss(e, y);
 * Tensor grad = tape.grad(loss, e)[0];
 * }</pre>
 */
package org.arcgrad.arcface.pairs;
