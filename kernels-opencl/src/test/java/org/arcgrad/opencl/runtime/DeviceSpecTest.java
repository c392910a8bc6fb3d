package org.arcgrad.opencl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Device choice on made-up machines, so the GPU paths are tested where there is no GPU. */
class DeviceSpecTest {
    static DeviceInfo device(int p, int d, String platform, String platformVendor, String name, DeviceType type) {
        return new DeviceInfo(p, d, platform, platformVendor, name, "Vendor " + name, type, 8, 8L << 30, 2L << 30,
                64 << 10, 1024, true, "1.0", "OpenCL 3.0 test");
    }

    static final DeviceInfo POCL = device(0, 0, "Portable Computing Language", "The pocl project",
            "pthread-skylake-avx512", DeviceType.CPU);
    static final DeviceInfo INTEL_GPU = device(1, 0, "Intel(R) OpenCL Graphics", "Intel(R) Corporation",
            "Intel(R) UHD Graphics 770", DeviceType.GPU);
    static final DeviceInfo NVIDIA = device(2, 0, "NVIDIA CUDA", "NVIDIA Corporation", "NVIDIA H200", DeviceType.GPU);
    static final DeviceInfo NVIDIA_2 = device(2, 1, "NVIDIA CUDA", "NVIDIA Corporation", "NVIDIA H200", DeviceType.GPU);
    static final List<DeviceInfo> MACHINE = List.of(POCL, INTEL_GPU, NVIDIA, NVIDIA_2);

    static DeviceInfo pick(String spec, List<DeviceInfo> devices) {
        return DeviceSpec.parse(spec).pick(devices, "the test");
    }

    @Test
    void defaultPrefersGpuThenCpuThenAnything() {
        assertEquals(INTEL_GPU, pick(null, MACHINE), "first GPU in listing order");
        assertEquals(INTEL_GPU, pick("  ", MACHINE));
        assertEquals(INTEL_GPU, pick("default", MACHINE));
        assertEquals(POCL, pick(null, List.of(POCL)));
        DeviceInfo fpga = device(0, 0, "Intel FPGA", "Intel", "fpga emulator", DeviceType.ACCELERATOR);
        DeviceInfo cpu = device(1, 0, "p", "v", "some cpu", DeviceType.CPU);
        assertEquals(cpu, pick(null, List.of(fpga, cpu)), "a CPU beats an accelerator");
        assertEquals(fpga, pick(null, List.of(fpga)), "anything beats nothing");
    }

    @Test
    void byIndex() {
        assertEquals(NVIDIA_2, pick("2:1", MACHINE));
        assertEquals(POCL, pick("0:0", MACHINE));
        assertEquals(POCL, pick("00:0", MACHINE), "leading zeros are the same index");
    }

    @Test
    void byType() {
        assertEquals(POCL, pick("cpu", MACHINE));
        assertEquals(INTEL_GPU, pick("GPU", MACHINE));
    }

    @Test
    void byNameCaseInsensitiveDeviceNameFirst() {
        assertEquals(NVIDIA, pick("h200", MACHINE));
        assertEquals(POCL, pick("SKYLAKE", MACHINE));
        assertEquals(INTEL_GPU, pick("uhd", MACHINE));
    }

    @Test
    void byPlatformOrVendorWhenNoDeviceNameMatches() {
        assertEquals(POCL, pick("pocl", MACHINE));
        assertEquals(NVIDIA, pick("cuda", MACHINE));
        assertEquals(NVIDIA, pick("nvidia", MACHINE), "device name matches first, then listing order");
    }

    @Test
    void badSpecListsTheDevicesAndWhereTheSpecCameFrom() {
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                () -> DeviceSpec.parse("radeon").pick(MACHINE, "ARCGRAD_DEVICE=radeon"));
        String m = e.getMessage();
        assertTrue(m.contains("'radeon' (from ARCGRAD_DEVICE=radeon) matches no OpenCL device"), m);
        assertTrue(m.contains("0:0  cpu  pthread-skylake-avx512 (Portable Computing Language)"), m);
        assertTrue(m.contains("2:1  gpu  NVIDIA H200 (NVIDIA CUDA)"), m);
        assertTrue(m.contains("index like 0:0"), m);
    }

    @Test
    void missingIndexAndMissingTypeAreBadSpecsToo() {
        assertThrows(DeviceNotFoundException.class, () -> pick("3:0", MACHINE));
        assertThrows(DeviceNotFoundException.class, () -> pick("0:99999999999999", MACHINE));
        assertThrows(DeviceNotFoundException.class, () -> pick("gpu", List.of(POCL)));
    }

    @Test
    void describesItself() {
        assertTrue(DeviceSpec.parse(null).isDefault());
        assertEquals("default", DeviceSpec.parse("").toString());
        assertEquals("0:1", DeviceSpec.parse(" 0:1 ").toString());
        assertEquals("3.0", POCL.openclVersion());
        assertEquals("0:0", POCL.id());
    }
}
