package org.arcgrad.tests.oclgrind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernels under Oclgrind, an OpenCL simulator of a GPU that reports data races, out-of-bounds
 * and uninitialized accesses, barrier divergence and API misuse. Oclgrind registers no ICD file
 * (registered system-wide it would become every program's default device, GPUs being preferred),
 * so {@link OclgrindRun} runs in a child JVM whose OCL_ICD_VENDORS names a private folder holding
 * one .icd file for it. Kernels are built with -cl-opt-disable: Oclgrind 21.10's
 * uninitialized-value check aborts on LLVM's freeze instruction otherwise.
 *
 * <p>{@code ./arcgrad test} installs oclgrind and sets -Darcgrad.oclgrind=required, so there this
 * test fails when Oclgrind is missing; a plain {@code mvn test} skips it then. By hand:
 * {@code mvn -pl tests test -Dtest=OclgrindTest}.
 */
class OclgrindTest {
    static final Path ICD_LIBRARY = Path.of("/usr/lib/oclgrind/liboclgrind-rt-icd.so");
    static final String REQUIRED = "arcgrad.oclgrind";
    private static final long TIMEOUT_MINUTES = 10;

    @TempDir
    Path dir;

    @Test
    void marginHeadsAndTrainingStepsUnderBothPlansAgreeWithTheInterpreterWithoutADiagnostic() throws Exception {
        Run r = run("checks", "CPU", "GPU");
        assertEquals(0, r.exit(), r.output());
        long ok = r.output().lines().filter(l -> l.startsWith("ok ")).count();
        // per plan: every head at every size, the reductions, the folded rows, the products (the GPU plan: and its split
        // tiles), the custom-loss ops, the pair losses, the convolutions, the implicit-GEMM convolution, the image layouts,
        // the chunked sub-center head at two D and by chunks that fold on the GPU plan, the training steps
        assertEquals(2 * (OclgrindRun.SIZES.length * OclgrindRun.heads().size() + 12) + 2, ok, r.output());
    }

    @Test
    void thePlantedRaceAndOutOfBoundsReadAreReported() throws Exception {
        Run r = run("planted");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("DIAGNOSTICS in planted faults"), r.output());
        assertTrue(r.output().contains("Write-write data race, in kernel planted_race: 63 times"), r.output());
        assertTrue(r.output().contains("Invalid read of size 4, in kernel planted_out_of_bounds: 1 time"), r.output());
    }

    private record Run(int exit, String output) {
    }

    private Run run(String... args) throws IOException, InterruptedException {
        if (!Files.isRegularFile(ICD_LIBRARY)) {
            String why = "Oclgrind is not installed (" + ICD_LIBRARY + " is missing): apt-get install oclgrind, or run ./arcgrad test";
            if ("required".equals(System.getProperty(REQUIRED))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        Path vendors = Files.createDirectories(dir.resolve("vendors"));
        Files.writeString(vendors.resolve("oclgrind.icd"), ICD_LIBRARY + "\n");
        Path log = dir.resolve("oclgrind.log");
        Path out = dir.resolve("output.txt");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OclgrindRun.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.remove("ARCGRAD_DEVICE");
        env.remove("ARCGRAD_PLAN");
        env.remove("ARCGRAD_VERIFY");
        env.put("OCL_ICD_VENDORS", vendors.toString());
        env.put("OCLGRIND_CHECK_API", "1");
        env.put("OCLGRIND_DATA_RACES", "1");
        env.put("OCLGRIND_UNINITIALIZED", "1");
        env.put("OCLGRIND_BUILD_OPTIONS", "-cl-opt-disable");
        env.put("OCLGRIND_LOG", log.toString());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the Oclgrind run took more than " + TIMEOUT_MINUTES + " minutes:\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        System.out.print(output);
        return new Run(p.exitValue(), output);
    }
}
