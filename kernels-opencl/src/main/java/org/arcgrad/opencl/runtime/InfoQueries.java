package org.arcgrad.opencl.runtime;

import java.nio.charset.StandardCharsets;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Typed reads of clGetPlatformInfo / clGetDeviceInfo. OpenCL answers into untyped memory, so
 * each read states the C type it expects; the two-call pattern (size, then data) lives here once.
 */
final class InfoQueries {
    private InfoQueries() {
    }

    static String platformString(cl_platform_id platform, int param, String what) {
        long[] size = new long[1];
        Cl.check(CL.clGetPlatformInfo(platform, param, 0, null, size), "reading the size of " + what);
        byte[] bytes = new byte[(int) size[0]];
        Cl.check(CL.clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null), "reading " + what);
        return cString(bytes);
    }

    static String deviceString(cl_device_id device, int param, String what) {
        long[] size = new long[1];
        Cl.check(CL.clGetDeviceInfo(device, param, 0, null, size), "reading the size of " + what);
        byte[] bytes = new byte[(int) size[0]];
        Cl.check(CL.clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null), "reading " + what);
        return cString(bytes);
    }

    /** A cl_uint answer. */
    static int deviceUint(cl_device_id device, int param, String what) {
        int[] value = new int[1];
        Cl.check(CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(value), null), "reading " + what);
        return value[0];
    }

    /** A cl_ulong answer (memory sizes, the type bit field). */
    static long deviceUlong(cl_device_id device, int param, String what) {
        long[] value = new long[1];
        Cl.check(CL.clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(value), null), "reading " + what);
        return value[0];
    }

    /** A size_t answer; JOCL only runs on 64-bit hosts, where size_t is 8 bytes. */
    static long deviceSizeT(cl_device_id device, int param, String what) {
        long[] value = new long[1];
        Cl.check(CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(value), null), "reading " + what);
        return value[0];
    }

    /** OpenCL strings are NUL-terminated and drivers pad some with spaces. */
    static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8).trim();
    }
}
