package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.gather;
import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.norm;
import static org.arcgrad.autodiff.Functional.normalize;
import static org.arcgrad.autodiff.Functional.std;

import org.arcgrad.arcface.nn.Init;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.autodiff.Shape;
import org.arcgrad.autodiff.Tensor;

/**
 * AdaFace (Kim, Jain and Liu, CVPR 2022): angular and additive margins that adapt to each
 * sample's feature norm relative to the norms' running statistics, as the authors' code computes
 * them (mk-minchul/AdaFace, {@code head.AdaFace.forward}):
 *
 * <pre>
 * cos     = clamp(linear(normalize(x), normalize(W)), −1 + ε, 1 − ε),  ε = 1e-3
 * a       = clamp(‖x‖, 0.001, 100)                                      (detached)
 * μ, σ    = α · mean(a) + (1 − α) · μ_old,  α · std(a) + (1 − α) · σ_old  (no gradient; updated before use)
 * r       = clamp(h · (a − μ) / (σ + ε), −1, 1)
 * target  = cos(clamp(acos(cos_y) − m·r, ε, π − ε)) − (m + m·r)          (on the label column; cos elsewhere)
 * logits  = s · …
 * </pre>
 *
 * μ and σ are training state ({@value #BATCH_MEAN}, {@value #BATCH_STD}; 20 and 100 at the start,
 * as the authors' buffers), carried through the training pass ({@link #logits(Tensor, Tensor,
 * Tensor, Pass)}); the three-argument form computes one step from those initial values. std is
 * the unbiased one (torch's default).
 *
 * <p>Defaults, the authors': m = 0.4, h = 0.333, s = 64, α = 0.01 (their training scripts' t_alpha).
 */
public final class AdaFace implements MarginHead {
    public static final double DEFAULT_M = 0.4;
    public static final double DEFAULT_H = 0.333;
    public static final double DEFAULT_S = 64;
    public static final double DEFAULT_ALPHA = 0.01;
    public static final String BATCH_MEAN = "head.batch_mean";
    public static final String BATCH_STD = "head.batch_std";
    static final double EPS = 1e-3;
    /** The running statistics' starting values, as the authors' buffers. */
    static final double INITIAL_MEAN = 20;
    static final double INITIAL_STD = 100;
    private static final ParameterSpec MEAN_SPEC = ParameterSpec.state(BATCH_MEAN, Init.constant(INITIAL_MEAN), 1);
    private static final ParameterSpec STD_SPEC = ParameterSpec.state(BATCH_STD, Init.constant(INITIAL_STD), 1);

    private final double m;
    private final double h;
    private final double s;
    private final double alpha;

    public AdaFace() {
        this(DEFAULT_M, DEFAULT_H, DEFAULT_S, DEFAULT_ALPHA);
    }

    /** @throws IllegalArgumentException naming the parameter out of range */
    public AdaFace(double m, double h, double s, double alpha) {
        HeadParameters.requireScale("AdaFace", s);
        HeadParameters.requireInRange("AdaFace", "m", m, 0, Math.PI / 4, "[0, π/4)", "the margin spans m·(1 ± 1)");
        HeadParameters.requireInRange("AdaFace", "h", h, 0, 1e6, "[0, 1e6)", "it scales the norm's z-score");
        HeadParameters.requireInRange("AdaFace", "t_alpha", alpha, Double.MIN_VALUE, 1 + 1e-12, "(0, 1]", "it is an average's weight");
        this.m = m;
        this.h = h;
        this.s = s;
        this.alpha = alpha;
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels) {
        return logits(x, w, labels, x.tape().full(Shape.of(1), INITIAL_MEAN), x.tape().full(Shape.of(1), INITIAL_STD))[0];
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels, Pass pass) {
        Tensor[] out = logits(x, w, labels, pass.param(MEAN_SPEC), pass.param(STD_SPEC));
        if (pass.training()) {
            pass.updateState(MEAN_SPEC, out[1]);
            pass.updateState(STD_SPEC, out[2]);
        }
        return out[0];
    }

    /** {logits, the new running mean, the new running std} from their old values [1]. */
    public Tensor[] logits(Tensor x, Tensor w, Tensor labels, Tensor meanOld, Tensor stdOld) {
        int n = x.shape().dim(0);
        Tensor cos = linear(normalize(x), normalize(w)).clamp(-1 + EPS, 1 - EPS);
        Tensor norms = norm(x, 1, true).clamp(0.001, 100).detach();
        Tensor mean = norms.mean().scale(alpha).add(meanOld.scale(1 - alpha));
        Tensor deviation = std(norms.reshape(n), 0, true, false).scale(alpha).add(stdOld.scale(1 - alpha));
        Tensor scaler = norms.sub(mean).div(deviation.add(EPS)).scale(h).clamp(-1, 1);
        Tensor theta = gather(cos, labels).reshape(n, 1).acos();
        Tensor target = theta.add(scaler.scale(-m)).clamp(EPS, Math.PI - EPS).cos().sub(scaler.scale(m).add(m));
        // off the label column the authors' cos(clamp(acos(cos), ε, π − ε)) is cos itself: the clamped cos keeps acos inside
        return new Tensor[] {TargetColumn.select(labels, target, cos).scale(s), mean, deviation};
    }
}
