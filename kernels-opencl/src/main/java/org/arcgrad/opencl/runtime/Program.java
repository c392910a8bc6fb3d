package org.arcgrad.opencl.runtime;

import java.util.Arrays;
import java.util.List;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * A built OpenCL program in one {@link DeviceContext}, from {@link DeviceContext#build}. It is
 * owned by the context's cache, which releases it when the context closes or when it pushes it out
 * of memory; take kernels from it (they keep the driver's program alive on their own).
 */
public final class Program {
    private final DeviceContext owner;
    private final cl_program handle;
    private final String source;
    private final String options;
    private final ProgramOrigin origin;
    private boolean released;

    Program(DeviceContext owner, cl_program handle, String source, String options, ProgramOrigin origin) {
        this.owner = owner;
        this.handle = handle;
        this.source = source;
        this.options = options;
        this.origin = origin;
    }

    /**
     * A new kernel object for {@code kernelName}; each call gives an independent set of arguments.
     * Once the cache has released this program, the kernel comes from the cache's copy (built again
     * or read from disk if need be).
     */
    public Kernel kernel(String kernelName) {
        owner.ensureOpen();
        synchronized (this) {
            if (!released) {
                return create(kernelName);
            }
        }
        return owner.build(source, options).kernel(kernelName);
    }

    private Kernel create(String kernelName) {
        int[] err = new int[1];
        cl_kernel kernel = CL.clCreateKernel(handle, kernelName, err);
        if (err[0] == CL.CL_INVALID_KERNEL_NAME) {
            throw new OpenClException(err[0], "creating kernel '" + kernelName + "': the program defines "
                    + kernelNames());
        }
        Cl.check(err, "creating kernel '" + kernelName + "'");
        int[] argCount = new int[1];
        Cl.check(CL.clGetKernelInfo(kernel, CL.CL_KERNEL_NUM_ARGS, Sizeof.cl_uint, Pointer.to(argCount), null),
                "reading the argument count of kernel '" + kernelName + "'");
        Kernel k = new Kernel(owner, kernelName, kernel, argCount[0]);
        owner.trackKernel(k);
        return k;
    }

    /** The names of the {@code __kernel} functions the program defines. */
    public List<String> kernelNames() {
        synchronized (this) {
            if (!released) {
                return kernelNamesOf(handle);
            }
        }
        return owner.build(source, options).kernelNames();
    }

    static List<String> kernelNamesOf(cl_program handle) {
        long[] size = new long[1];
        Cl.check(CL.clGetProgramInfo(handle, CL.CL_PROGRAM_KERNEL_NAMES, 0, null, size), "reading the kernel names");
        byte[] bytes = new byte[(int) size[0]];
        Cl.check(CL.clGetProgramInfo(handle, CL.CL_PROGRAM_KERNEL_NAMES, bytes.length, Pointer.to(bytes), null),
                "reading the kernel names");
        String names = InfoQueries.cString(bytes);
        return names.isEmpty() ? List.of() : Arrays.asList(names.split(";"));
    }

    /** Whether it was compiled now or loaded from the disk cache. */
    public ProgramOrigin origin() {
        return origin;
    }

    public String source() {
        return source;
    }

    public String options() {
        return options;
    }

    cl_program handle() {
        return handle;
    }

    /** Gives the driver back this object's reference; idempotent. */
    synchronized void release() {
        if (!released) {
            released = true;
            Cl.check(CL.clReleaseProgram(handle), "releasing a program");
        }
    }
}
