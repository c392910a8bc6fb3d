/**
 * Training on the device: {@link org.arcgrad.arcface.train.Trainer} runs a
 * {@link org.arcgrad.arcface.train.Recipe} (the defaults are issue 5's recipe) for a
 * {@link org.arcgrad.arcface.train.Network} on a train/test split.
 *
 * <h2>One step, one executable</h2>
 * {@link org.arcgrad.arcface.train.TrainingGraph} records forward (backbone, margin head, mean
 * cross-entropy), {@code tape.grad}, the optimizer's update of every trained parameter and the new
 * batch-norm statistics on one tape; {@link org.arcgrad.arcface.train.TrainingStep} compiles it once.
 * Every kept tensor (weights, optimizer state, running statistics) is a PARAM that takes its new
 * value by {@code Executable.update} (a buffer swap after each run), so per step only the batch,
 * the labels, the step's scalars (lr, momentum, bias corrections) and any dropout masks are
 * uploaded, and only the loss (4 bytes) is read back, for the progress bar and the NaN check.
 * {@link org.arcgrad.arcface.train.Embedder} compiles the backbone in inference mode separately and
 * binds its PARAMs, by name, to the training step's current buffers.
 *
 * <h2>Reproducible, resumable</h2>
 * Initial values come from (seed, parameter name), the epoch's order from (seed, epoch), dropout
 * masks from (seed, step, mask name). A {@link org.arcgrad.arcface.train.Checkpoint} after each
 * epoch (an .npz numpy can open, written atomically) holds every kept tensor, the history and the
 * settings; a resumed run refuses other settings by name and ends bitwise equal to an
 * uninterrupted one on the same device. A NaN or infinite loss stops training
 * ({@link org.arcgrad.arcface.train.NonFiniteLossException}, naming the step) before any
 * checkpoint is written, so the last good one stays.
 *
 * <h2>Outputs</h2>
 * In the output folder, after every epoch: checkpoint.npz, metrics.json, curves.png and
 * cosines.png (from {@code org.arcgrad.arcface.eval}); at the end, weights/*.npy under torch's
 * state_dict names with load_in_pytorch.py ({@link org.arcgrad.arcface.train.WeightsExport}).
 */
package org.arcgrad.arcface.train;
