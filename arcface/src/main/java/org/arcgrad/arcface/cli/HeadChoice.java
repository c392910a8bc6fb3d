package org.arcgrad.arcface.cli;

import java.util.ArrayList;
import java.util.List;
import org.arcgrad.arcface.heads.AdaFace;
import org.arcgrad.arcface.heads.ArcFace;
import org.arcgrad.arcface.heads.CombinedMargin;
import org.arcgrad.arcface.heads.CosFace;
import org.arcgrad.arcface.heads.CurricularFace;
import org.arcgrad.arcface.heads.ElasticFace;
import org.arcgrad.arcface.heads.MagFace;
import org.arcgrad.arcface.heads.MarginHead;
import org.arcgrad.arcface.heads.SphereFace;
import org.arcgrad.arcface.heads.SubCenterArcFace;
import org.arcgrad.arcface.pairs.BatchHardTripletLoss;
import org.arcgrad.arcface.pairs.CircleLoss;
import org.arcgrad.arcface.pairs.ContrastiveLoss;
import org.arcgrad.arcface.pairs.MultiSimilarityLoss;
import org.arcgrad.arcface.train.Objective;

/**
 * Turns the loss options of {@code arcgrad head} and {@code train} into a margin head or (train
 * only) a pair loss. Each loss accepts only its own
 * options; one given to a loss that ignores it is refused rather than silently dropped, and a
 * value the head rejects is reported under the option's name. Options left out take the head's
 * defaults (listed in {@code --help}).
 */
final class HeadChoice {
    /**
     * The losses {@code --loss} accepts, lower-case on the command line (multi_similarity as
     * multi-similarity): the margin heads, then the pair losses ({@link #pair}), which {@code train} takes.
     */
    enum Loss {
        arcface, cosface, sphereface, combined, subcenter, magface, curricularface, adaface, elasticface,
        circle, triplet, contrastive, multi_similarity;

        /** A loss over the pairs of a batch, with no class weights. */
        boolean pair() {
            return ordinal() >= circle.ordinal();
        }

        /** The name on the command line. */
        String optionName() {
            return name().replace('_', '-');
        }

        /** Converts {@code --loss} values, multi-similarity included; picocli reports an unknown name with this list. */
        static final class Converter implements picocli.CommandLine.ITypeConverter<Loss> {
            @Override
            public Loss convert(String value) {
                for (Loss l : values()) {
                    if (l.optionName().equals(value)) {
                        return l;
                    }
                }
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a loss; expected one of "
                        + java.util.Arrays.stream(values()).map(Loss::optionName).collect(java.util.stream.Collectors.joining(", ")));
            }
        }
    }

    /** ElasticFace's margin form, lower-case on the command line. */
    enum ElasticForm {
        arc, cos
    }

    Loss loss = Loss.arcface;
    Double s;
    Double m;
    /** null: the head's default (off, but on for magface, as its authors' code). */
    Boolean easyMargin;
    Double m1;
    Double m2;
    Double m3;
    Integer k;
    Long iter;
    Double lowerNorm;
    Double upperNorm;
    Double lowerMargin;
    Double upperMargin;
    Double lambdaG;
    Double h;
    Double tAlpha;
    ElasticForm elasticForm;
    Double sigma;
    boolean plus;
    Double gamma;
    boolean softMargin;
    Double posMargin;
    Double negMargin;
    Double alpha;
    Double beta;
    Double lambda;
    Double epsilon;

    /** Rows of W per class: K for sub-center ArcFace, else 1. */
    int rowsPerClass() {
        return loss == Loss.subcenter ? (k == null ? SubCenterArcFace.DEFAULT_K : k) : 1;
    }

    /** What {@code train} trains the embeddings against: the margin head, or the pair loss. */
    Objective objective() {
        if (!loss.pair()) {
            return new Objective.Head(build(), rowsPerClass());
        }
        refuseOthers();
        try {
            return new Objective.Pairs(switch (loss) {
                case circle -> new CircleLoss(value(m, CircleLoss.DEFAULT_M), value(gamma, CircleLoss.DEFAULT_GAMMA));
                case triplet -> new BatchHardTripletLoss(value(m, BatchHardTripletLoss.DEFAULT_MARGIN), softMargin);
                case contrastive -> new ContrastiveLoss(value(posMargin, ContrastiveLoss.DEFAULT_POS_MARGIN),
                        value(negMargin, ContrastiveLoss.DEFAULT_NEG_MARGIN));
                case multi_similarity -> new MultiSimilarityLoss(value(alpha, MultiSimilarityLoss.DEFAULT_ALPHA),
                        value(beta, MultiSimilarityLoss.DEFAULT_BETA), value(lambda, MultiSimilarityLoss.DEFAULT_LAMBDA),
                        value(epsilon, MultiSimilarityLoss.DEFAULT_EPSILON));
                default -> throw new IllegalStateException("not a pair loss: " + loss);
            });
        } catch (IllegalArgumentException e) {
            throw new BadInputException((loss == Loss.triplet ? "--m: " : optionOf(e.getMessage())) + e.getMessage());
        }
    }

    /** The margin head; a pair loss is refused ({@code head} computes heads over class weights only). */
    MarginHead build() {
        if (loss.pair()) {
            throw new BadInputException("--loss " + loss.optionName() + ": a pair loss, over the embeddings of a batch with no class"
                    + " weights; arcgrad head computes margin heads over W; train with it: arcgrad train --loss " + loss.optionName());
        }
        refuseOthers();
        try {
            return switch (loss) {
                case arcface -> new ArcFace(positiveS(ArcFace.DEFAULT_S), value(m, ArcFace.DEFAULT_M), easy());
                case cosface -> new CosFace(positiveS(CosFace.DEFAULT_S), value(m, CosFace.DEFAULT_M));
                case sphereface -> new SphereFace(integerM(), iter == null ? 0 : iter);
                case combined -> new CombinedMargin(positiveS(CombinedMargin.DEFAULT_S), value(m1, CombinedMargin.DEFAULT_M1),
                        value(m2, CombinedMargin.DEFAULT_M2), value(m3, CombinedMargin.DEFAULT_M3));
                case subcenter -> new SubCenterArcFace(positiveS(SubCenterArcFace.DEFAULT_S), value(m, SubCenterArcFace.DEFAULT_M), easy(),
                        k == null ? SubCenterArcFace.DEFAULT_K : k);
                case magface -> new MagFace(positiveS(MagFace.DEFAULT_S), value(lowerNorm, MagFace.DEFAULT_LOWER_NORM),
                        value(upperNorm, MagFace.DEFAULT_UPPER_NORM), value(lowerMargin, MagFace.DEFAULT_LOWER_MARGIN),
                        value(upperMargin, MagFace.DEFAULT_UPPER_MARGIN), value(lambdaG, MagFace.DEFAULT_LAMBDA_G), easy());
                case curricularface -> new CurricularFace(positiveS(CurricularFace.DEFAULT_S), value(m, CurricularFace.DEFAULT_M));
                case elasticface -> new ElasticFace(form(), positiveS(ElasticFace.DEFAULT_S), value(m, ElasticFace.defaultM(form())),
                        value(sigma, ElasticFace.defaultSigma(form())), plus);
                case adaface -> new AdaFace(value(m, AdaFace.DEFAULT_M), value(h, AdaFace.DEFAULT_H), positiveS(AdaFace.DEFAULT_S),
                        value(tAlpha, AdaFace.DEFAULT_ALPHA));
                default -> throw new IllegalStateException("not a margin head: " + loss);
            };
        } catch (IllegalArgumentException e) {
            throw new BadInputException(optionOf(e.getMessage()) + e.getMessage());
        }
    }

    /** The loss with its effective parameters (defaults filled in), for settings and summaries. */
    String describe() {
        return switch (loss) {
            case arcface -> "arcface(s=" + value(s, ArcFace.DEFAULT_S) + ", m=" + value(m, ArcFace.DEFAULT_M) + ", easy_margin=" + easy() + ")";
            case cosface -> "cosface(s=" + value(s, CosFace.DEFAULT_S) + ", m=" + value(m, CosFace.DEFAULT_M) + ")";
            case sphereface -> "sphereface(m=" + (int) value(m, SphereFace.DEFAULT_M) + ", iter=" + (iter == null ? 0 : iter) + ")";
            case combined -> "combined(s=" + value(s, CombinedMargin.DEFAULT_S) + ", m1=" + value(m1, CombinedMargin.DEFAULT_M1)
                    + ", m2=" + value(m2, CombinedMargin.DEFAULT_M2) + ", m3=" + value(m3, CombinedMargin.DEFAULT_M3) + ")";
            case subcenter -> "subcenter(s=" + value(s, SubCenterArcFace.DEFAULT_S) + ", m=" + value(m, SubCenterArcFace.DEFAULT_M)
                    + ", easy_margin=" + easy() + ", k=" + rowsPerClass() + ")";
            case magface -> "magface(s=" + value(s, MagFace.DEFAULT_S) + ", l_a=" + value(lowerNorm, MagFace.DEFAULT_LOWER_NORM)
                    + ", u_a=" + value(upperNorm, MagFace.DEFAULT_UPPER_NORM) + ", l_m=" + value(lowerMargin, MagFace.DEFAULT_LOWER_MARGIN)
                    + ", u_m=" + value(upperMargin, MagFace.DEFAULT_UPPER_MARGIN) + ", lambda_g=" + value(lambdaG, MagFace.DEFAULT_LAMBDA_G)
                    + ", easy_margin=" + easy() + ")";
            case curricularface -> "curricularface(s=" + value(s, CurricularFace.DEFAULT_S) + ", m=" + value(m, CurricularFace.DEFAULT_M) + ")";
            case elasticface -> "elasticface(form=" + form().name().toLowerCase(java.util.Locale.ROOT) + ", s=" + value(s, ElasticFace.DEFAULT_S)
                    + ", m=" + value(m, ElasticFace.defaultM(form())) + ", sigma=" + value(sigma, ElasticFace.defaultSigma(form()))
                    + ", plus=" + plus + ")";
            case adaface -> "adaface(s=" + value(s, AdaFace.DEFAULT_S) + ", m=" + value(m, AdaFace.DEFAULT_M) + ", h=" + value(h, AdaFace.DEFAULT_H)
                    + ", t_alpha=" + value(tAlpha, AdaFace.DEFAULT_ALPHA) + ")";
            case circle -> "circle(m=" + value(m, CircleLoss.DEFAULT_M) + ", gamma=" + value(gamma, CircleLoss.DEFAULT_GAMMA) + ")";
            case triplet -> "triplet(batch_hard, " + (softMargin ? "soft_margin" : "margin=" + value(m, BatchHardTripletLoss.DEFAULT_MARGIN)) + ")";
            case contrastive -> "contrastive(pos_margin=" + value(posMargin, ContrastiveLoss.DEFAULT_POS_MARGIN) + ", neg_margin="
                    + value(negMargin, ContrastiveLoss.DEFAULT_NEG_MARGIN) + ")";
            case multi_similarity -> "multi-similarity(alpha=" + value(alpha, MultiSimilarityLoss.DEFAULT_ALPHA) + ", beta="
                    + value(beta, MultiSimilarityLoss.DEFAULT_BETA) + ", lambda=" + value(lambda, MultiSimilarityLoss.DEFAULT_LAMBDA)
                    + ", epsilon=" + value(epsilon, MultiSimilarityLoss.DEFAULT_EPSILON) + ")";
        };
    }

    private void refuseOthers() {
        List<String> stray = new ArrayList<>();
        boolean margins = loss == Loss.arcface || loss == Loss.cosface || loss == Loss.sphereface || loss == Loss.subcenter
                || loss == Loss.curricularface || loss == Loss.adaface || loss == Loss.elasticface || loss == Loss.circle
                || loss == Loss.triplet && !softMargin;
        add(stray, s != null && loss == Loss.sphereface, "--s (SphereFace scales by the feature norm)");
        add(stray, s != null && loss.pair(), "--s (a pair loss has no scale of logits)");
        add(stray, m != null && !margins, "--m");
        add(stray, easyMargin != null && loss != Loss.arcface && loss != Loss.subcenter && loss != Loss.magface, "--easy-margin");
        add(stray, (lowerNorm != null || upperNorm != null || lowerMargin != null || upperMargin != null || lambdaG != null)
                && loss != Loss.magface, "--l-a/--u-a/--l-m/--u-m/--lambda-g");
        add(stray, (m1 != null || m2 != null || m3 != null) && loss != Loss.combined, "--m1/--m2/--m3");
        add(stray, k != null && loss != Loss.subcenter, "--k");
        add(stray, (h != null || tAlpha != null) && loss != Loss.adaface, "--h/--t-alpha");
        add(stray, (elasticForm != null || sigma != null || plus) && loss != Loss.elasticface, "--elastic-form/--sigma/--plus");
        add(stray, iter != null && loss != Loss.sphereface, "--iter");
        add(stray, gamma != null && loss != Loss.circle, "--gamma");
        add(stray, softMargin && loss != Loss.triplet, "--soft-margin");
        add(stray, (posMargin != null || negMargin != null) && loss != Loss.contrastive, "--pos-margin/--neg-margin");
        add(stray, (alpha != null || beta != null || lambda != null || epsilon != null) && loss != Loss.multi_similarity,
                "--alpha/--beta/--lambda/--epsilon");
        if (!stray.isEmpty()) {
            throw new BadInputException(String.join(", ", stray) + ": not an option of --loss " + loss.optionName()
                    + (loss == Loss.triplet && softMargin && m != null ? " --soft-margin (the soft margin takes no margin)" : ""));
        }
    }

    private ElasticFace.Form form() {
        return elasticForm == ElasticForm.cos ? ElasticFace.Form.COS : ElasticFace.Form.ARC;
    }

    /** The easy margin asked for, else the head's default: on for MagFace (its authors' MagLinear), off for the others. */
    private boolean easy() {
        return easyMargin != null ? easyMargin : loss == Loss.magface;
    }

    private double positiveS(double fallback) {
        double v = value(s, fallback);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new BadInputException("--s: must be a finite number > 0, got " + v);
        }
        return v;
    }

    private int integerM() {
        double v = value(m, SphereFace.DEFAULT_M);
        if (v != Math.rint(v) || v < 1 || v > 64) {
            throw new BadInputException("--m: SphereFace needs an integer margin from 1 to 64, got " + v);
        }
        return (int) v;
    }

    private static double value(Double given, double fallback) {
        return given == null ? fallback : given;
    }

    /** Which option a head's message ("CosFace: m must be ...") is about, from the parameter it names. */
    private static String optionOf(String message) {
        java.util.regex.Matcher p = java.util.regex.Pattern.compile(": (\\w+) must").matcher(message);
        return p.find() ? "--" + p.group(1).toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " : "";
    }

    private static void add(List<String> list, boolean condition, String option) {
        if (condition) {
            list.add(option);
        }
    }
}
