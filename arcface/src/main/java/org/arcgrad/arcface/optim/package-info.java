/**
 * Optimizers recorded as graph ops ({@link org.arcgrad.arcface.optim.Sgd},
 * {@link org.arcgrad.arcface.optim.AdamW}, torch's update rules) and learning-rate schedules
 * ({@link org.arcgrad.arcface.optim.StepDecay}, {@link org.arcgrad.arcface.optim.Cosine},
 * {@link org.arcgrad.arcface.optim.OneCycle}, {@link org.arcgrad.arcface.optim.LinearWarmup}).
 * The update is part of the compiled training step, so parameters and optimizer state never
 * leave the device; what changes per step (lr, momentum, bias corrections) comes in as scalar
 * inputs ({@link org.arcgrad.arcface.optim.StepScalars}).
 */
package org.arcgrad.arcface.optim;
