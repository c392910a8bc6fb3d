package org.arcgrad.opencl.runtime;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where built programs are kept between runs. Every context keeps its programs in memory; the disk
 * cache, on by default in {@code ~/.cache/arcgrad/kernels}, also keeps their binaries so a later
 * process skips the driver's compile.
 *
 * <p>Environment: {@value #ENV_CACHE}{@code =off} turns the disk cache off (nothing is read or
 * written there); {@value #ENV_CACHE_DIR} moves it. The system properties {@value #PROPERTY_CACHE} and
 * {@value #PROPERTY_CACHE_DIR}, when set, take precedence (the build points tests at target/ this way).
 */
public final class CacheSettings {
    /** "off" (or 0, false, no) turns the disk cache off; "on" (1, true, yes) or unset leaves it on. */
    public static final String ENV_CACHE = "ARCGRAD_CACHE";
    /** The disk cache folder, instead of {@code ~/.cache/arcgrad/kernels}. */
    public static final String ENV_CACHE_DIR = "ARCGRAD_CACHE_DIR";

    /** System property overriding {@value #ENV_CACHE}. */
    public static final String PROPERTY_CACHE = "arcgrad.cache";
    /** System property overriding {@value #ENV_CACHE_DIR}. */
    public static final String PROPERTY_CACHE_DIR = "arcgrad.cache.dir";

    private final Path diskDirectory;

    private CacheSettings(Path diskDirectory) {
        this.diskDirectory = diskDirectory;
    }

    /** Memory and disk, in {@code directory}. */
    public static CacheSettings onDisk(Path directory) {
        return new CacheSettings(Objects.requireNonNull(directory, "directory"));
    }

    /** Memory only: nothing is read from or written to disk. */
    public static CacheSettings memoryOnly() {
        return new CacheSettings(null);
    }

    /** The settings {@value #ENV_CACHE} and {@value #ENV_CACHE_DIR} describe. */
    public static CacheSettings fromEnvironment() {
        Map<String, String> settings = new java.util.HashMap<>(System.getenv());
        putIfSet(settings, ENV_CACHE, System.getProperty(PROPERTY_CACHE));
        putIfSet(settings, ENV_CACHE_DIR, System.getProperty(PROPERTY_CACHE_DIR));
        return fromEnvironment(settings, System.getProperty("user.home"));
    }

    private static void putIfSet(Map<String, String> settings, String key, String value) {
        if (value != null) {
            settings.put(key, value);
        }
    }

    /** {@link #fromEnvironment()} on a given environment, so it can be tested. */
    static CacheSettings fromEnvironment(Map<String, String> env, String userHome) {
        String switchValue = env.getOrDefault(ENV_CACHE, "").trim().toLowerCase(Locale.ROOT);
        switch (switchValue) {
            case "off", "0", "false", "no" -> {
                return memoryOnly();
            }
            case "", "on", "1", "true", "yes" -> {
                // on: fall through to the directory
            }
            default -> throw new IllegalArgumentException(ENV_CACHE + "=" + env.get(ENV_CACHE)
                    + " is not understood; use " + ENV_CACHE + "=off to turn the kernel cache off, or leave it unset");
        }
        String dir = env.getOrDefault(ENV_CACHE_DIR, "").trim();
        if (dir.isEmpty()) {
            return onDisk(defaultDirectory(userHome));
        }
        Path folder;
        try {
            folder = Path.of(dir);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(ENV_CACHE_DIR + "=" + env.get(ENV_CACHE_DIR) + " is not a path (" + e.getReason()
                    + "); name a folder for the kernel cache, or leave it unset for " + defaultDirectory(userHome));
        }
        if (java.nio.file.Files.exists(folder) && !java.nio.file.Files.isDirectory(folder)) {
            throw new IllegalArgumentException(ENV_CACHE_DIR + "=" + dir + " is a file, not a folder; name a folder for the"
                    + " kernel cache, or leave it unset for " + defaultDirectory(userHome));
        }
        return onDisk(folder);
    }

    /** {@code <home>/.cache/arcgrad/kernels}. */
    public static Path defaultDirectory(String userHome) {
        return Path.of(userHome, ".cache", "arcgrad", "kernels");
    }

    /** The disk cache folder, or empty when the disk cache is off. */
    public Optional<Path> diskDirectory() {
        return Optional.ofNullable(diskDirectory);
    }

    @Override
    public String toString() {
        return diskDirectory == null ? "memory only" : "memory and " + diskDirectory;
    }
}
