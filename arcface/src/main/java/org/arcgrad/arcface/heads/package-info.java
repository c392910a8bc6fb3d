/**
 * Margin heads: logits [N, C] from embeddings x [N, D], class weights W (out_features × in_features,
 * the seed's layout) and integer labels [N]; a mean softmax cross-entropy
 * ({@link org.arcgrad.autodiff.Functional#crossEntropy}) follows. Every head is written in DSL ops,
 * so its gradient (margin included) and its kernels come from the op set.
 *
 * <table>
 *   <caption>The heads</caption>
 *   <tr><th>class</th><th>label-column logit (others: the plain cosine, scaled alike)</th><th>defaults</th><th>matched against</th></tr>
 *   <tr><td>{@link org.arcgrad.arcface.heads.ArcFace}</td><td>s·cos(θ + m), th / mm fallback or easy_margin</td>
 *       <td>s 30, m 0.5</td><td>the seed (ronghuaiyang/arcface-pytorch ArcMarginProduct)</td></tr>
 *   <tr><td>{@link org.arcgrad.arcface.heads.CosFace}</td><td>s·(cos θ − m)</td>
 *       <td>s 30, m 0.40</td><td>ronghuaiyang/arcface-pytorch AddMarginProduct</td></tr>
 *   <tr><td>{@link org.arcgrad.arcface.heads.SphereFace}</td><td>‖x‖·(λ cos θ + ψ(θ)) / (1 + λ), ψ = (−1)^k cos(mθ) − 2k</td>
 *       <td>m 4, iter 0</td><td>ronghuaiyang/arcface-pytorch SphereProduct = wy1iu/sphereface Caffe layer</td></tr>
 *   <tr><td>{@link org.arcgrad.arcface.heads.CombinedMargin}</td><td>s·(cos(m1·θ + m2) − m3)</td>
 *       <td>s 64, m1 1.0, m2 0.3, m3 0.2</td><td>insightface MXNet margin_softmax, loss.combined</td></tr>
 *   <tr><td>{@link org.arcgrad.arcface.heads.SubCenterArcFace}</td><td>ArcFace's, on the max over K centres</td>
 *       <td>s 30, m 0.5, K 3</td><td>insightface SubCenter-ArcFace (W [C·K, D], class-major)</td></tr>
 * </table>
 *
 * <p>Shared pieces: {@link org.arcgrad.arcface.heads.TargetColumn} (the label-column selection),
 * {@link org.arcgrad.arcface.heads.AngleMultiples} (cos(mθ), sin(mθ), cos(mθ + a) from the cosine
 * by Chebyshev polynomials, no acos), ArcMargin (the seed's margin, shared by ArcFace and
 * sub-center ArcFace) and HeadParameters (constructor checks that name the parameter).
 */
package org.arcgrad.arcface.heads;
