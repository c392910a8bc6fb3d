package org.arcgrad.opencl.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jocl.CL;
import org.jocl.cl_program;

/**
 * The programs of one {@link DeviceContext}, looked up by {@link ProgramKey}: first in memory
 * (a program object only lives in its own context), then on disk as a binary (shared by every
 * process with the same device and driver), and only then compiled from source.
 *
 * <p>A disk entry that is damaged, that the driver refuses, or whose program lacks the source's
 * kernels (a valid file holding another program) is deleted and replaced by a fresh compile, with
 * one warning naming the cache folder. Failing to write the disk cache (read-only home, full disk)
 * never fails a build: the program is still returned, and the first such failure of the run says
 * so in one line.
 *
 * <p>Memory holds the {@link #MEMORY_CAPACITY} programs used last. A program pushed out is released
 * at once: a driver keeps a program alive while kernels made from it exist (clCreateKernel retains
 * it), so built executables go on working, and a later {@link Program#kernel} on the released
 * object takes the program from the cache again. Unbounded, a long process that compiles many
 * graphs (the test suite's random ones, a sweep) grew by about 0.15 MB of driver memory per program.
 */
public final class ProgramCache {
    /** Counts since this cache was made, for tests and for logs. */
    public record Stats(int memoryHits, int diskHits, int compiles, int diskWrites) {
    }

    /** How many programs stay in memory: far more than one training run builds (a few dozen). */
    static final int MEMORY_CAPACITY = 128;

    private final DeviceContext owner;
    private final CacheSettings settings;
    private final Optional<ProgramBinaryStore> disk;
    private final int capacity;
    /** In access order: the least recently used program comes first. */
    private final Map<String, Program> memory = new LinkedHashMap<>(16, 0.75f, true);
    private int memoryHits;
    private int diskHits;
    private int compiles;
    private int diskWrites;

    ProgramCache(DeviceContext owner, CacheSettings settings, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("A program cache holds one program at least, not " + capacity);
        }
        this.owner = owner;
        this.capacity = capacity;
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
        evictBeyondCapacity();
        return program;
    }

    /** How many programs memory holds now. */
    public synchronized int programsInMemory() {
        return memory.size();
    }

    private void evictBeyondCapacity() {
        var eldest = memory.values().iterator();
        while (memory.size() > capacity) {
            Program evicted = eldest.next();
            eldest.remove();
            evicted.release();
        }
    }

    private Optional<Program> fromDisk(String digest, String source, String options) {
        if (disk.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> binary = disk.get().read(digest);
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        cl_program handle;
        try {
            handle = ProgramBuilder.fromBinary(owner, binary.get(), options);
        } catch (OpenClException e) {
            return discard(digest, "the driver refused it (" + e.errorName() + ")");
        }
        Set<String> expected = KernelNames.declaredIn(source);
        Set<String> defined = Set.copyOf(Program.kernelNamesOf(handle));
        if (!expected.isEmpty() && !expected.equals(defined)) {
            CL.clReleaseProgram(handle);
            return discard(digest, "it holds kernels " + defined + " where its source declares " + expected);
        }
        diskHits++;
        return Optional.of(new Program(owner, handle, source, options, ProgramOrigin.DISK_CACHE));
    }

    private Optional<Program> discard(String digest, String why) {
        disk.orElseThrow().discard(digest, why);
        return Optional.empty();
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
                    Path folder = disk.get().fileFor(digest).getParent();
                    Warnings.once("cache-write " + folder, "cannot write the kernel cache in " + folder + " (" + e.getMessage()
                            + "); kernels are compiled anew in every run. Make it writable, set "
                            + CacheSettings.ENV_CACHE_DIR + " to another folder, or " + CacheSettings.ENV_CACHE + "=off");
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
