package org.arcgrad.opencl.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jocl.cl_program;

/**
 * The programs of one {@link DeviceContext}, looked up by {@link ProgramKey}: first in memory
 * (a program object only lives in its own context), then on disk as a binary (shared by every
 * process with the same device and driver), and only then compiled from source.
 *
 * <p>A disk entry that is damaged, or that the driver refuses, is deleted and replaced by a fresh
 * compile. Failing to write the disk cache (read-only home, full disk) never fails a build: the
 * program is still returned and a warning is logged.
 */
public final class ProgramCache {
    /** Counts since this cache was made, for tests and for logs. */
    public record Stats(int memoryHits, int diskHits, int compiles, int diskWrites) {
    }

    private static final System.Logger LOG = System.getLogger(ProgramCache.class.getName());

    private final DeviceContext owner;
    private final CacheSettings settings;
    private final Optional<ProgramBinaryStore> disk;
    private final Map<String, Program> memory = new HashMap<>();
    private int memoryHits;
    private int diskHits;
    private int compiles;
    private int diskWrites;

    ProgramCache(DeviceContext owner, CacheSettings settings) {
        this.owner = owner;
        this.settings = settings;
        this.disk = settings.diskDirectory().map(ProgramBinaryStore::new);
    }

    public CacheSettings settings() {
        return settings;
    }

    public synchronized Stats stats() {
        return new Stats(memoryHits, diskHits, compiles, diskWrites);
    }

    synchronized Program get(String source, String options) {
        String digest = ProgramKey.of(source, options, owner.device().info()).digest();
        Program cached = memory.get(digest);
        if (cached != null) {
            memoryHits++;
            return cached;
        }
        Program program = fromDisk(digest, source, options).orElseGet(() -> compile(digest, source, options));
        memory.put(digest, program);
        return program;
    }

    private Optional<Program> fromDisk(String digest, String source, String options) {
        if (disk.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> binary = disk.get().read(digest);
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        try {
            cl_program handle = ProgramBuilder.fromBinary(owner, binary.get(), options);
            diskHits++;
            return Optional.of(new Program(owner, handle, source, options, ProgramOrigin.DISK_CACHE));
        } catch (OpenClException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cached binary " + disk.get().fileFor(digest)
                    + " was refused by the driver (" + e.errorName() + "); rebuilding from source");
            disk.get().delete(digest);
            return Optional.empty();
        }
    }

    private Program compile(String digest, String source, String options) {
        cl_program handle = ProgramBuilder.compile(owner, source, options);
        compiles++;
        if (disk.isPresent()) {
            byte[] binary = ProgramBuilder.binaryOf(handle);
            if (binary.length > 0) {
                try {
                    disk.get().write(digest, binary);
                    diskWrites++;
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not write the kernel cache file "
                            + disk.get().fileFor(digest) + " (" + e + "); continuing without it");
                }
            }
        }
        return new Program(owner, handle, source, options, ProgramOrigin.COMPILED);
    }

    /** Releases every program; called when the context closes. */
    synchronized List<OpenClException> releaseAll() {
        List<OpenClException> failures = new ArrayList<>();
        for (Program program : memory.values()) {
            try {
                program.release();
            } catch (OpenClException e) {
                failures.add(e);
            }
        }
        memory.clear();
        return failures;
    }
}
