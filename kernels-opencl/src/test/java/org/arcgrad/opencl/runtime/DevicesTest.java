package org.arcgrad.opencl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** The real device list of this machine. */
class DevicesTest {
    @Test
    void listsDevicesWithTheirFacts() {
        List<Device> devices = Devices.list();
        assertFalse(devices.isEmpty());
        for (Device d : devices) {
            DeviceInfo info = d.info();
            assertFalse(info.name().isBlank(), info.toString());
            assertTrue(info.computeUnits() > 0, info.toString());
            assertTrue(info.maxAllocBytes() > 0 && info.maxAllocBytes() <= info.globalMemBytes(), info.toString());
            assertTrue(info.maxWorkGroupSize() > 0, info.toString());
            assertTrue(info.openclVersion().matches("\\d+\\.\\d+"), info.deviceVersion());
            assertFalse(info.driverVersion().isBlank(), info.toString());
        }
    }

    @Test
    void poclIsListedAsACpu() {
        Device pocl = TestDevices.poclOrSkip();
        assertEquals(DeviceType.CPU, pocl.info().type());
    }

    @Test
    void poclIsSelectableByTypeIndexAndName() {
        Device pocl = TestDevices.poclOrSkip();
        boolean onlyCpu = Devices.list().stream().filter(d -> d.info().type() == DeviceType.CPU).count() == 1;
        if (onlyCpu) {
            assertEquals(pocl.info(), Devices.choose("cpu").info());
        }
        assertEquals(pocl.info(), Devices.choose(pocl.info().id()).info());
        String name = pocl.name();
        String part = name.substring(0, Math.min(name.length(), 12)).toUpperCase(Locale.ROOT);
        assertEquals(pocl.info().name(), Devices.choose(part).name(), "name match is case-insensitive");
    }

    @Test
    void theDefaultIsAGpuWhenThereIsOne() {
        List<Device> devices = Devices.list();
        boolean hasGpu = devices.stream().anyMatch(d -> d.info().type() == DeviceType.GPU);
        DeviceType chosen = Devices.choose(devices, DeviceSpec.preferred(), "the test").info().type();
        assertEquals(hasGpu, chosen == DeviceType.GPU);
    }

    @Test
    void aBadSpecSaysWhichDevicesThereAre() {
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                () -> Devices.choose("no-such-device-anywhere"));
        String m = e.getMessage();
        assertTrue(m.contains("'no-such-device-anywhere' (from the API) matches no OpenCL device"), m);
        for (Device d : Devices.list()) {
            assertTrue(m.contains(d.info().oneLine()), m);
        }
    }
}
