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
 * written there), {@code =on} turns it on for every driver; unset, it is on except on a driver that
 * keeps its own cache of builds ({@link #forDevice}). {@value #ENV_CACHE_DIR} moves it. The system properties {@value #PROPERTY_CACHE} and
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

    /** PoCL's switch for its own kernel cache: on unless it is 0. */
    static final String POCL_KERNEL_CACHE = "POCL_KERNEL_CACHE";

    private final Path diskDirectory;
    /** Whether the disk cache was asked for (by the caller or {@value #ENV_CACHE}=on) rather than on by default. */
    private final boolean requested;

    private CacheSettings(Path diskDirectory, boolean requested) {
        this.diskDirectory = diskDirectory;
        this.requested = requested;
    }

    /** Memory and disk, in {@code directory}, on every driver. */
    public static CacheSettings onDisk(Path directory) {
        return new CacheSettings(Objects.requireNonNull(directory, "directory"), true);
    }

    /** Memory only: nothing is read from or written to disk. */
    public static CacheSettings memoryOnly() {
        return new CacheSettings(null, false);
    }

    /**
     * These settings for a device: memory only when the disk cache is on by default (not asked for)
     * and the device's driver keeps its own disk cache of builds, as PoCL does unless
     * {@value #POCL_KERNEL_CACHE}=0.
     * Why: to store a binary we must ask the driver for it, and PoCL then compiles every kernel of
     * the program for dynamic work-group sizes, which it does not use when it runs them; that took
     * 5.5 s of a 12 s cold start for the training step's 50 kernels (measured on this project's
     * 2-core machine), while PoCL's own cache already makes a second run's build take 0.4 s.
     */
    public CacheSettings forDevice(DeviceInfo device, Map<String, String> env) {
        boolean pocl = device.platformVendor().toLowerCase(Locale.ROOT).contains("pocl")
                || device.platformName().equals("Portable Computing Language");
        boolean poclCaches = pocl && !env.getOrDefault(POCL_KERNEL_CACHE, "1").trim().equals("0");
        return diskDirectory != null && !requested && poclCaches ? memoryOnly() : this;
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
        boolean requested;
        switch (switchValue) {
            case "off", "0", "false", "no" -> {
                return memoryOnly();
            }
            case "on", "1", "true", "yes" -> requested = true;
            case "" -> requested = false;
            default -> throw new IllegalArgumentException(ENV_CACHE + "=" + env.get(ENV_CACHE)
                    + " is not understood; use " + ENV_CACHE + "=off to turn the kernel cache off, or leave it unset");
        }
        String dir = env.getOrDefault(ENV_CACHE_DIR, "").trim();
        if (dir.isEmpty()) {
            return new CacheSettings(defaultDirectory(userHome), requested);
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
        return new CacheSettings(folder, requested);
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
