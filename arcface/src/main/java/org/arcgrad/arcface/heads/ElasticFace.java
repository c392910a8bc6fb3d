package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.cosAdd;
import static org.arcgrad.autodiff.Functional.gather;
import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.normalize;

import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.autodiff.Tensor;

/**
 * ElasticFace (Boutros et al., CVPRW 2022): ArcFace's or CosFace's margin drawn afresh for every
 * sample of every step from N(m, σ), as the authors' {@code ElasticArcFace} and
 * {@code ElasticCosFace} (fdbtrs/ElasticFace) compute it:
 *
 * <pre>
 * cos    = clamp(linear(normalize(x), normalize(W)), −1, 1)
 * m_i    = m + σ·z_i,  z_i ~ N(0, 1)
 * target = arc: cos(θ_y + m_i)  (the authors' acos, add, cos; written cos·cos m_i − sin θ·sin m_i)
 *          cos: cos_y − m_i
 * logits = s · (target on the label column, cos elsewhere)
 * </pre>
 *
 * With {@code plus} (ElasticFace+), the step's margins are handed out by rank, as the paper
 * describes it: the sample whose target cosine is largest gets the smallest margin, and so on
 * (without gradient; the ranks come from comparisons, so exact ties share a rank). The authors'
 * published code assigns {@code margin[idicate_cosie]} instead, which gives sample p the margin at
 * the sorted position of the p-th most similar sample, another permutation; the fixtures follow
 * the paper there and the code everywhere else.
 *
 * <p>The draws z are an input the training step fills each step from (seed, step), reproducible
 * on resume ({@link Pass#normalDraws}); outside a training pass the margin is its mean m.
 * sin θ comes from a radicand clamped at 1e-12 (finite gradient at |cos| = 1, where acos's is not).
 *
 * <p>Defaults: s = 64; arc m = 0.5, σ = 0.0125 and cos m = 0.35, σ = 0.025 (the authors' classes'
 * own defaults; their configurations also train with σ = 0.05).
 */
public final class ElasticFace implements MarginHead {
    /** The margin's form. */
    public enum Form {
        ARC, COS
    }

    public static final double DEFAULT_S = 64;
    public static final double DEFAULT_ARC_M = 0.5;
    public static final double DEFAULT_ARC_SIGMA = 0.0125;
    public static final double DEFAULT_COS_M = 0.35;
    public static final double DEFAULT_COS_SIGMA = 0.025;
    /** The input of the step's standard normal draws. */
    public static final String DRAWS = "head.margin_draws";

    private final Form form;
    private final double s;
    private final double m;
    private final double sigma;
    private final boolean plus;

    public ElasticFace(Form form) {
        this(form, DEFAULT_S, defaultM(form), defaultSigma(form), false);
    }

    /** The mean margin of a form when none is given: 0.5 for arc, 0.35 for cos. */
    public static double defaultM(Form form) {
        return form == Form.ARC ? DEFAULT_ARC_M : DEFAULT_COS_M;
    }

    /** The margins' standard deviation of a form when none is given: 0.0125 for arc, 0.025 for cos. */
    public static double defaultSigma(Form form) {
        return form == Form.ARC ? DEFAULT_ARC_SIGMA : DEFAULT_COS_SIGMA;
    }

    /** @throws IllegalArgumentException naming the parameter out of range */
    public ElasticFace(Form form, double s, double m, double sigma, boolean plus) {
        HeadParameters.requireScale("ElasticFace", s);
        HeadParameters.requireInRange("ElasticFace", "m", m, 0, form == Form.ARC ? Math.PI / 2 : 1, form == Form.ARC ? "[0, π/2)" : "[0, 1)",
                "the mean margin must keep an aligned sample above an orthogonal class");
        HeadParameters.requireInRange("ElasticFace", "sigma", sigma, 0, 1, "[0, 1)", "it is the margins' standard deviation");
        this.form = form;
        this.s = s;
        this.m = m;
        this.sigma = sigma;
        this.plus = plus;
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels) {
        return logits(x, w, labels, x.tape().full(org.arcgrad.autodiff.Shape.of(x.shape().dim(0), 1), 0));
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels, Pass pass) {
        return pass.training() ? logits(x, w, labels, pass.normalDraws(DRAWS, x.shape().dim(0), 1)) : logits(x, w, labels);
    }

    /** The logits with the step's standard normal draws z [N, 1]. */
    public Tensor logits(Tensor x, Tensor w, Tensor labels, Tensor z) {
        int n = x.shape().dim(0);
        Tensor cos = linear(normalize(x), normalize(w)).clamp(-1, 1);
        Tensor target = gather(cos, labels).reshape(n, 1);
        Tensor margins = z.scale(sigma).add(m);
        if (plus) {
            margins = byRank(target.detach(), margins);
        }
        Tensor marked = form == Form.ARC ? cosAdd(target, margins) : target.sub(margins);
        return TargetColumn.select(labels, marked, cos).scale(s);
    }

    /**
     * The margins [N, 1] reassigned by rank: sample i gets the r-th smallest margin, r the number of
     * samples whose target cosine is larger than i's. Comparisons and a sum over a one-hot of the
     * ranks: no sort op, and no gradient (the margins are drawn, not learned).
     */
    private static Tensor byRank(Tensor target, Tensor margins) {
        int n = target.shape().dim(0);
        Tensor targetRank = target.reshape(1, n).gt(target).sum(1, true);            // [N, 1]: how many are larger
        Tensor marginRank = margins.reshape(1, n).lt(margins).sum(1, true).reshape(1, n); // [1, N]: how many are smaller
        return targetRank.eq(marginRank).mul(margins.reshape(1, n)).sum(1, true);
    }
}
