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
}
