/**
 * Files written so that a crash never leaves a half-written one: {@link org.arcgrad.opencl.files.AtomicFiles}
 * (temporary file, fsync, rename, fsync of the folder) and the recognisable temporary files it
 * uses, removed on a clean stop and by the next run ({@link org.arcgrad.opencl.files.TemporaryFiles}).
 * Every file arcgrad writes goes through here: checkpoints, metrics, plots, weights, NPY outputs
 * and kernel-cache entries.
 */
package org.arcgrad.opencl.files;
