package org.arcgrad.arcface.cli;

import org.arcgrad.arcface.heads.MarginHead;
import picocli.CommandLine.Option;

/**
 * The loss options ({@code --loss} and each loss's parameters), shared by every command that
 * builds a head ({@code arcgrad head}, {@code arcgrad train}; train also takes the pair losses) as
 * a picocli mixin; the checks live in {@link HeadChoice}.
 */
final class HeadOptions {
    private final HeadChoice choice = new HeadChoice();

    @Option(names = "--loss", order = 5, paramLabel = "NAME", converter = HeadChoice.Loss.Converter.class,
            description = "Default: arcface. A margin head: arcface, cosface, sphereface, combined, subcenter, magface, curricularface,"
                    + " adaface or elasticface; train also takes a pair loss over the batch's embeddings (P×K batches): circle,"
                    + " triplet (batch-hard), contrastive or multi-similarity.")
    private void loss(HeadChoice.Loss v) {
        choice.loss = v;
    }

    @Option(names = "--s", order = 6, paramLabel = "S",
            description = "Scale. Default: 30 (arcface, cosface, subcenter), 64 (combined, magface, curricularface, adaface, elasticface); sphereface"
                    + " scales by ‖x‖ instead.")
    private void s(double v) {
        choice.s = v;
    }

    @Option(names = "--m", order = 7, paramLabel = "M",
            description = "Margin. Default: 0.5 (arcface, subcenter, curricularface, elasticface arc), 0.4 (cosface, adaface, circle's"
                    + " relaxation), 0.35 (elasticface cos), 4 (sphereface, an integer), 0.05 (triplet); elasticface's is the mean of"
                    + " its drawn margins.")
    private void m(double v) {
        choice.m = v;
    }

    @Option(names = "--easy-margin", order = 8, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "The seed's easy_margin (arcface, subcenter, magface); --easy-margin=false turns it off."
                    + " Default: off, but on for magface (as the authors' code).")
    private void easyMargin(boolean v) {
        choice.easyMargin = v;
    }

    @Option(names = "--m1", order = 9, paramLabel = "A", description = "combined: cos(A·θ + B) − C on the target. Default: 1.0.")
    private void m1(double v) {
        choice.m1 = v;
    }

    @Option(names = "--m2", order = 10, paramLabel = "B", description = "combined: additive angular margin. Default: 0.3.")
    private void m2(double v) {
        choice.m2 = v;
    }

    @Option(names = "--m3", order = 11, paramLabel = "C", description = "combined: additive cosine margin. Default: 0.2.")
    private void m3(double v) {
        choice.m3 = v;
    }

    @Option(names = "--k", order = 12, paramLabel = "K", description = "subcenter: sub-centers per class. Default: 3.")
    private void k(int v) {
        choice.k = v;
    }

    @Option(names = "--iter", order = 13, paramLabel = "I", description = "sphereface: the λ-annealing iteration. Default: 0.")
    private void iter(long v) {
        choice.iter = v;
    }

    @Option(names = "--l-a", order = 40, paramLabel = "A", description = "magface: lower bound of the feature norm. Default: 10.")
    private void lowerNorm(double v) {
        choice.lowerNorm = v;
    }

    @Option(names = "--u-a", order = 41, paramLabel = "A", description = "magface: upper bound of the feature norm. Default: 110.")
    private void upperNorm(double v) {
        choice.upperNorm = v;
    }

    @Option(names = "--l-m", order = 42, paramLabel = "M", description = "magface: the margin at norm l_a. Default: 0.45.")
    private void lowerMargin(double v) {
        choice.lowerMargin = v;
    }

    @Option(names = "--u-m", order = 43, paramLabel = "M", description = "magface: the margin at norm u_a. Default: 0.8.")
    private void upperMargin(double v) {
        choice.upperMargin = v;
    }

    @Option(names = "--lambda-g", order = 44, paramLabel = "L",
            description = "magface: weight of the norm regulariser mean(a/u_a² + 1/a). Default: 35.")
    private void lambdaG(double v) {
        choice.lambdaG = v;
    }

    @Option(names = "--h", order = 45, paramLabel = "H", description = "adaface: how far the norm's z-score moves the margins. Default: 0.333.")
    private void h(double v) {
        choice.h = v;
    }

    @Option(names = "--t-alpha", order = 46, paramLabel = "A",
            description = "adaface: weight of each batch in the running mean and std of the norms. Default: 0.01.")
    private void tAlpha(double v) {
        choice.tAlpha = v;
    }

    @Option(names = "--elastic-form", order = 47, paramLabel = "FORM",
            description = "elasticface: arc (ArcFace's margin) or cos (CosFace's). Default: arc.")
    private void elasticForm(HeadChoice.ElasticForm v) {
        choice.elasticForm = v;
    }

    @Option(names = "--sigma", order = 48, paramLabel = "SD",
            description = "elasticface: standard deviation of the margins drawn each step. Default: 0.0125 (arc), 0.025 (cos).")
    private void sigma(double v) {
        choice.sigma = v;
    }

    @Option(names = "--plus", order = 49,
            description = "elasticface: ElasticFace+, the step's smallest margins to its samples most similar to their class. Default: off.")
    private void plus(boolean v) {
        choice.plus = v;
    }

    HeadChoice choice() {
        return choice;
    }

    /** What the options describe for {@code train}: a margin head or a pair loss (a {@link BadInputException} as {@link #build}). */
    org.arcgrad.arcface.train.Objective objective() {
        return choice.objective();
    }

    /** The head the options describe; a bad combination or value is a {@link BadInputException} naming the option. */
    MarginHead build() {
        return choice.build();
    }

    /** The head and its effective parameters (defaults filled in), e.g. "arcface(s=30.0, m=0.5, easy_margin=false)". */
    String describe() {
        return choice.describe();
    }
}
