package org.arcgrad.arcface.cli;

import picocli.CommandLine.Option;

/**
 * The pair losses' options ({@code arcgrad train --loss circle|triplet|contrastive|multi-similarity}),
 * a picocli mixin of {@code train} only, writing into the same {@link HeadChoice} as
 * {@link HeadOptions}, which checks them with the loss.
 */
final class PairLossOptions {
    private final HeadChoice choice;

    PairLossOptions(HeadChoice choice) {
        this.choice = choice;
    }

    @Option(names = "--gamma", order = 50, paramLabel = "G", description = "circle: the scale γ. Default: 80.")
    private void gamma(double v) {
        choice.gamma = v;
    }

    @Option(names = "--soft-margin", order = 51,
            description = "triplet: softplus(d(a,p) − d(a,n)) instead of relu(d(a,p) − d(a,n) + m). Default: off.")
    private void softMargin(boolean v) {
        choice.softMargin = v;
    }

    @Option(names = "--pos-margin", order = 52, paramLabel = "M",
            description = "contrastive: positive pairs lose relu(d − M). Default: 0.")
    private void posMargin(double v) {
        choice.posMargin = v;
    }

    @Option(names = "--neg-margin", order = 53, paramLabel = "M",
            description = "contrastive: negative pairs lose relu(M − d). Default: 1.")
    private void negMargin(double v) {
        choice.negMargin = v;
    }

    @Option(names = "--alpha", order = 54, paramLabel = "A", description = "multi-similarity: the positives' scale α. Default: 2.")
    private void alpha(double v) {
        choice.alpha = v;
    }

    @Option(names = "--beta", order = 55, paramLabel = "B", description = "multi-similarity: the negatives' scale β. Default: 40.")
    private void beta(double v) {
        choice.beta = v;
    }

    @Option(names = "--lambda", order = 56, paramLabel = "L", description = "multi-similarity: the similarity threshold λ. Default: 0.5.")
    private void lambda(double v) {
        choice.lambda = v;
    }

    @Option(names = "--epsilon", order = 57, paramLabel = "E",
            description = "multi-similarity: the mining margin ε (pairs kept within ε of the hardest of the other kind). Default: 0.1.")
    private void epsilon(double v) {
        choice.epsilon = v;
    }
}
