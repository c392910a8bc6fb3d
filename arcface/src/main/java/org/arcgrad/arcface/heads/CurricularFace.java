package org.arcgrad.arcface.heads;

import static org.arcgrad.autodiff.Functional.cosAdd;
import static org.arcgrad.autodiff.Functional.gather;
import static org.arcgrad.autodiff.Functional.linear;
import static org.arcgrad.autodiff.Functional.normalize;
import static org.arcgrad.autodiff.Functional.where;

import org.arcgrad.arcface.nn.Init;
import org.arcgrad.arcface.nn.Pass;
import org.arcgrad.arcface.nn.ParameterSpec;
import org.arcgrad.autodiff.Tensor;

/**
 * CurricularFace (Huang et al., CVPR 2020) as the authors' code computes it
 * (HuangYG123/CurricularFace, {@code head.CurricularFace.forward}):
 *
 * <pre>
 * cos     = clamp(linear(normalize(x), normalize(W)), −1, 1)
 * target  = cos[i, label_i];  target_m = cos(θ_target + m)
 * t       = 0.01 · mean(target) + 0.99 · t_old                   (no gradient; updated before it is used)
 * cos     = cos · (t + cos)  where cos &gt; target_m (the negatives harder than the target's margin value)
 * logits  = s · (on the label column: target &gt; cos(π − m) ? target_m : target − sin(π − m)·m; cos elsewhere)
 * </pre>
 *
 * t is training state ({@value #T}, one value, 0 at the start as the authors' buffer): within a
 * training pass ({@link #logits(Tensor, Tensor, Tensor, Pass)}) it is read from the state the step
 * carries and its new value is reported, so it is checkpointed with the model; the three-argument
 * form uses t_old = 0 (the first step's t). sin θ comes from a radicand clamped at 1e-12 (finite
 * gradient at |cos| = 1, where the authors' sqrt gives NaN).
 *
 * <p>Defaults, the authors': s = 64, m = 0.5.
 */
public final class CurricularFace implements MarginHead {
    public static final double DEFAULT_S = 64;
    public static final double DEFAULT_M = 0.5;
    /** The running t's weight for the batch's mean target cosine. */
    public static final double MOMENTUM = 0.01;
    /** The state parameter holding t. */
    public static final String T = "head.t";
    private static final ParameterSpec T_SPEC = ParameterSpec.state(T, Init.zeros(), 1);

    private final double s;
    private final ArcMargin margin;

    public CurricularFace() {
        this(DEFAULT_S, DEFAULT_M);
    }

    /** @throws IllegalArgumentException naming s or m when out of range */
    public CurricularFace(double s, double m) {
        HeadParameters.requireScale("CurricularFace", s);
        this.s = s;
        this.margin = new ArcMargin("CurricularFace", m, false);
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels) {
        return logits(x, w, labels, x.tape().full(org.arcgrad.autodiff.Shape.of(1), 0))[0];
    }

    @Override
    public Tensor logits(Tensor x, Tensor w, Tensor labels, Pass pass) {
        Tensor[] out = logits(x, w, labels, pass.param(T_SPEC));
        if (pass.training()) {
            pass.updateState(T_SPEC, out[1]);
        }
        return out[0];
    }

    /** {logits, the new t} from t_old [1]. */
    public Tensor[] logits(Tensor x, Tensor w, Tensor labels, Tensor tOld) {
        int n = x.shape().dim(0);
        Tensor cos = linear(normalize(x), normalize(w)).clamp(-1, 1);
        Tensor target = gather(cos, labels).reshape(n, 1);
        Tensor targetM = cosAdd(target, margin.m());
        Tensor finalTarget = where(target.gt(margin.th()), targetM, target.sub(margin.mm()));
        Tensor t = target.mean().detach().scale(MOMENTUM).add(tOld.scale(1 - MOMENTUM));
        Tensor modulated = where(cos.gt(targetM), cos.mul(t.add(cos)), cos);
        return new Tensor[] {TargetColumn.select(labels, finalTarget, modulated).scale(s), t};
    }
}
