package org.arcgrad.opencl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CacheSettingsTest {
    @Test
    void defaultsToTheUsersCacheFolder() {
        CacheSettings s = CacheSettings.fromEnvironment(Map.of(), "/home/ada");
        assertEquals(Path.of("/home/ada/.cache/arcgrad/kernels"), s.diskDirectory().orElseThrow());
    }

    @Test
    void theFolderCanBeMoved() {
        CacheSettings s = CacheSettings.fromEnvironment(Map.of(CacheSettings.ENV_CACHE_DIR, "/tmp/k"), "/home/ada");
        assertEquals(Path.of("/tmp/k"), s.diskDirectory().orElseThrow());
    }

    @Test
    void offTurnsTheDiskOff() {
        for (String off : new String[] {"off", "OFF", "0", "false", "no"}) {
            assertTrue(CacheSettings.fromEnvironment(Map.of(CacheSettings.ENV_CACHE, off), "/h").diskDirectory().isEmpty(), off);
        }
        assertTrue(CacheSettings.fromEnvironment(Map.of(CacheSettings.ENV_CACHE, "on"), "/h").diskDirectory().isPresent());
    }

    @Test
    void aTypoIsAnErrorNotASilentDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CacheSettings.fromEnvironment(Map.of(CacheSettings.ENV_CACHE, "of"), "/h"));
        assertTrue(e.getMessage().contains("ARCGRAD_CACHE=of is not understood"), e.getMessage());
    }

    private static DeviceInfo device(String platform, String vendor) {
        return new DeviceInfo(0, 0, platform, vendor, "dev", "dev vendor", DeviceType.CPU, 2, 8L << 30, 2L << 30,
                64 << 10, 4096, true, "3.1", "OpenCL 3.0 dev");
    }

    @Test
    void byDefaultPoclsOwnCacheServesButOnAsksForOurs() {
        DeviceInfo pocl = device("Portable Computing Language", "The pocl project");
        CacheSettings byDefault = CacheSettings.fromEnvironment(Map.of(CacheSettings.ENV_CACHE_DIR, "/tmp/k"), "/home/ada");
        assertTrue(byDefault.forDevice(pocl, Map.of()).diskDirectory().isEmpty());
        // PoCL's cache turned off: ours is all there is
        assertEquals(Path.of("/tmp/k"), byDefault.forDevice(pocl, Map.of("POCL_KERNEL_CACHE", "0")).diskDirectory().orElseThrow());
        // another driver: on by default
        assertEquals(Path.of("/tmp/k"),
                byDefault.forDevice(device("NVIDIA CUDA", "NVIDIA Corporation"), Map.of()).diskDirectory().orElseThrow());
        // asked for by the setting or by the caller: used on PoCL too
        CacheSettings on = CacheSettings.fromEnvironment(Map.of(CacheSettings.ENV_CACHE, "on"), "/home/ada");
        assertEquals(Path.of("/home/ada/.cache/arcgrad/kernels"), on.forDevice(pocl, Map.of()).diskDirectory().orElseThrow());
        assertEquals(Path.of("/tmp/j"), CacheSettings.onDisk(Path.of("/tmp/j")).forDevice(pocl, Map.of()).diskDirectory().orElseThrow());
    }
}
