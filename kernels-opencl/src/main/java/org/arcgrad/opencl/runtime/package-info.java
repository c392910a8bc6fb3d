/**
 * The thin OpenCL runtime the kernel compiler builds on: devices, a context and queue, named
 * buffers, kernel launch, and program building with a cache. Everything goes through JOCL with
 * its exceptions off, and every OpenCL return code through {@link org.arcgrad.opencl.runtime.Cl#check},
 * so every failure is an {@link org.arcgrad.opencl.runtime.OpenClException} that names the error
 * symbolically and says what was being done.
 *
 * <pre>{@code
 * Device device = Devices.choose();                         // ARCGRAD_DEVICE, else a GPU, else the CPU
 * try (DeviceContext ctx = DeviceContext.open(device)) {    // disk cache per ARCGRAD_CACHE / ARCGRAD_CACHE_DIR
 *     Program program = ctx.build(source);                  // memory cache, then disk cache, then compile
 *     DeviceBuffer x = ctx.upload("x", xs);                 // float[] -> float32 buffer named "x"
 *     DeviceBuffer y = ctx.floatBuffer("y", n).upload(ys);
 *     program.kernel("axpy").args(x, y, 2.0f, n)
 *            .launch(new long[] {Kernel.roundUp(n, 64)}, new long[] {64});
 *     float[] result = y.downloadFloats();                  // blocks until the launch is done
 * }
 * }</pre>
 *
 * <h2>Errors a user sees</h2>
 * <ul>
 *   <li>{@link org.arcgrad.opencl.runtime.NoOpenClPlatformException}: no loader, no driver, or no
 *       device; the message has the install command. Never a JNI stack trace.</li>
 *   <li>{@link org.arcgrad.opencl.runtime.DeviceNotFoundException}: a device spec matched nothing;
 *       the message lists the devices.</li>
 *   <li>{@link org.arcgrad.opencl.runtime.DeviceOutOfMemoryException}: names the buffer(s), their
 *       sizes in MiB and the device's limits.</li>
 *   <li>{@link org.arcgrad.opencl.runtime.KernelBuildException}: the build log and the source with
 *       line numbers.</li>
 * </ul>
 * What does not stop the work is one line on stderr through {@link org.arcgrad.opencl.runtime.Warnings},
 * once per run: a kernel-cache entry discarded and rebuilt, a cache folder that cannot be written.
 *
 * <h2>Environment</h2>
 * {@code ARCGRAD_DEVICE} (index {@code 0:0}, type {@code gpu}/{@code cpu}, or part of a name),
 * {@code ARCGRAD_CACHE=off|on} (unset: on, except on PoCL, whose own kernel cache serves),
 * {@code ARCGRAD_CACHE_DIR} (default {@code ~/.cache/arcgrad/kernels}).
 * Each has an API equivalent: {@link org.arcgrad.opencl.runtime.Devices#choose(String)} and
 * {@link org.arcgrad.opencl.runtime.CacheSettings}.
 */
package org.arcgrad.opencl.runtime;
