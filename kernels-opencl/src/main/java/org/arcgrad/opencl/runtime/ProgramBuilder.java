package org.arcgrad.opencl.runtime;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/** The driver calls that make a program: from source, from a cached binary, and back to a binary. */
final class ProgramBuilder {
    private ProgramBuilder() {
    }

    /** Compiles source; a refusal becomes {@link KernelBuildException} with the log and the source. */
    static cl_program compile(DeviceContext ctx, String source, String options) {
        int[] err = new int[1];
        cl_program program = CL.clCreateProgramWithSource(ctx.handle(), 1, new String[] {source}, null, err);
        Cl.check(err, "creating a program from source");
        int code = CL.clBuildProgram(program, 1, devices(ctx), options, null, null);
        if (code != 0) {
            String log = buildLog(program, ctx);
            CL.clReleaseProgram(program);
            throw new KernelBuildException(ctx.device().info(), code, options, log, source);
        }
        return program;
    }

    /**
     * Loads a binary this driver produced earlier. Any failure (the driver changed, the bytes are
     * not a binary) is an ordinary {@link OpenClException}: the cache then compiles from source.
     */
    static cl_program fromBinary(DeviceContext ctx, byte[] binary, String options) {
        int[] err = new int[1];
        int[] binaryStatus = new int[1];
        cl_program program = CL.clCreateProgramWithBinary(ctx.handle(), 1, devices(ctx),
                new long[] {binary.length}, new byte[][] {binary}, binaryStatus, err);
        Cl.check(err, "creating a program from a cached binary");
        int code = binaryStatus[0] != 0 ? binaryStatus[0] : CL.clBuildProgram(program, 1, devices(ctx), options, null, null);
        if (code != 0) {
            CL.clReleaseProgram(program);
            Cl.check(code, "building a program from a cached binary");
        }
        return program;
    }

    /** The device binary of a built program, or an empty array when the driver offers none. */
    static byte[] binaryOf(cl_program program) {
        long[] size = new long[1];
        Cl.check(CL.clGetProgramInfo(program, CL.CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null),
                "reading the program binary size");
        if (size[0] <= 0 || size[0] > Integer.MAX_VALUE - 8) {
            return new byte[0];
        }
        byte[] binary = new byte[(int) size[0]];
        // CL_PROGRAM_BINARIES wants an array of pointers, one per device; we have one device.
        Cl.check(CL.clGetProgramInfo(program, CL.CL_PROGRAM_BINARIES, Sizeof.POINTER,
                Pointer.to(Pointer.to(binary)), null), "reading the program binary");
        return binary;
    }

    /** The build log, or "" when it cannot be read: failing here must not hide the build error itself. */
    static String buildLog(cl_program program, DeviceContext ctx) {
        cl_device_id device = ctx.device().id();
        long[] size = new long[1];
        if (CL.clGetProgramBuildInfo(program, device, CL.CL_PROGRAM_BUILD_LOG, 0, null, size) != 0 || size[0] <= 0) {
            return "";
        }
        byte[] bytes = new byte[(int) size[0]];
        if (CL.clGetProgramBuildInfo(program, device, CL.CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null) != 0) {
            return "";
        }
        return InfoQueries.cString(bytes);
    }

    private static cl_device_id[] devices(DeviceContext ctx) {
        return new cl_device_id[] {ctx.device().id()};
    }
}
