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

/**
 * Turns the margin options of {@code arcgrad head} into a head. Each loss accepts only its own
 * options; one given to a loss that ignores it is refused rather than silently dropped, and a
 * value the head rejects is reported under the option's name. Options left out take the head's
 * defaults (listed in {@code --help}).
 */
final class HeadChoice {
    /** The losses {@code --loss} accepts, lower-case on the command line. */
    enum Loss {
        arcface, cosface, sphereface, combined, subcenter, magface, curricularface, adaface, elasticface
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

    /** Rows of W per class: K for sub-center ArcFace, else 1. */
    int rowsPerClass() {
        return loss == Loss.subcenter ? (k == null ? SubCenterArcFace.DEFAULT_K : k) : 1;
    }

    MarginHead build() {
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
        };
    }

    private void refuseOthers() {
        List<String> stray = new ArrayList<>();
        boolean margins = loss == Loss.arcface || loss == Loss.cosface || loss == Loss.sphereface || loss == Loss.subcenter
                || loss == Loss.curricularface || loss == Loss.adaface || loss == Loss.elasticface;
        add(stray, s != null && loss == Loss.sphereface, "--s (SphereFace scales by the feature norm)");
        add(stray, m != null && !margins, "--m");
        add(stray, easyMargin != null && loss != Loss.arcface && loss != Loss.subcenter && loss != Loss.magface, "--easy-margin");
        add(stray, (lowerNorm != null || upperNorm != null || lowerMargin != null || upperMargin != null || lambdaG != null)
                && loss != Loss.magface, "--l-a/--u-a/--l-m/--u-m/--lambda-g");
        add(stray, (m1 != null || m2 != null || m3 != null) && loss != Loss.combined, "--m1/--m2/--m3");
        add(stray, k != null && loss != Loss.subcenter, "--k");
        add(stray, (h != null || tAlpha != null) && loss != Loss.adaface, "--h/--t-alpha");
        add(stray, (elasticForm != null || sigma != null || plus) && loss != Loss.elasticface, "--elastic-form/--sigma/--plus");
        add(stray, iter != null && loss != Loss.sphereface, "--iter");
        if (!stray.isEmpty()) {
            throw new BadInputException(String.join(", ", stray) + ": not an option of --loss " + loss);
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
