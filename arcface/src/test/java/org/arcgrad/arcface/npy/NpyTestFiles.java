package org.arcgrad.arcface.npy;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates the numpy-written files under src/test/resources/npy (made by tools/make_npy_test_files.py). */
final class NpyTestFiles {
    private NpyTestFiles() {
    }

    static Path path(String name) {
        URL url = NpyTestFiles.class.getResource("/npy/" + name);
        if (url == null) {
            throw new IllegalStateException("test file npy/" + name + " is missing; run tools/make_npy_test_files.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
