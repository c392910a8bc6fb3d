/**
 * Model pieces written in the autodiff DSL: {@link org.arcgrad.arcface.nn.Linear},
 * {@link org.arcgrad.arcface.nn.BatchNorm} (training and inference modes, running statistics),
 * {@link org.arcgrad.arcface.nn.Relu}, {@link org.arcgrad.arcface.nn.PRelu},
 * {@link org.arcgrad.arcface.nn.Dropout} (masks from the seed and step), the
 * {@link org.arcgrad.arcface.nn.Mlp} builder and seeded {@link org.arcgrad.arcface.nn.Init}ializers.
 *
 * <p>A layer is a recipe, not a set of values: {@code forward(x, pass)} records its ops on the
 * pass's tape and asks the {@link org.arcgrad.arcface.nn.Pass} for its parameters by name. So one
 * model records a training graph and an inference graph on two tapes, and the values live
 * wherever the caller keeps them (device buffers during training, .npy files after).
 */
package org.arcgrad.arcface.nn;
