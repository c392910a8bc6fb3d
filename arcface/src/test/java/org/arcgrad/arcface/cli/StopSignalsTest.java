package org.arcgrad.arcface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.arcgrad.arcface.train.Checkpoint;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C and SIGTERM sent to a real {@code arcgrad train} process: it stops at a step boundary with
 * every file complete, prints the command that continues (which does continue), and exits 130 or
 * 143; a second Ctrl-C quits at once.
 */
class StopSignalsTest {
    private static final List<String> LAUNCHER = List.of("-D" + ResumeCommand.LAUNCHER_PROPERTY + "=./arcgrad");

    @TempDir
    Path dir;

    /**
     * A process started in the background by a non-interactive shell ({@code cmd &}, {@code nohup})
     * ignores SIGINT, and so do its children: a JVM does not handle a signal ignored at its start.
     * Then no child here can see a Ctrl-C, and the tests say so instead of failing.
     */
    @BeforeEach
    void sigintReachesChildren() throws IOException {
        Path status = Path.of("/proc/self/status");
        Assumptions.assumeTrue(Files.exists(status), "no /proc: cannot tell whether SIGINT is ignored");
        String ignored = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:")).findFirst()
                .map(l -> l.substring("SigIgn:".length()).trim()).orElse("0");
        boolean sigintIgnored = (Long.parseUnsignedLong(ignored, 16) & (1L << (2 - 1))) != 0; // bit n−1 is signal n; SIGINT is 2
        Assumptions.assumeFalse(sigintIgnored, "this JVM was started with SIGINT ignored (in the background of a"
                + " non-interactive shell), so its children ignore Ctrl-C too; run the tests in the foreground");
    }

    @Test
    void ctrlCStopsAtAStepPrintsTheResumeCommandAndThatCommandContinues() throws Exception {
        Path out = dir.resolve("run");
        String resume;
        try (ChildCli child = ChildCli.start(LAUNCHER, Map.of(), SmallTraining.train("--epochs", "1000", "--out", out.toString()))) {
            child.awaitLine(true, l -> l.matches("epoch +2/1000 .*"), 120);
            child.signal("INT");
            assertEquals(130, child.exitCode(60), child.err());
            String last = child.errLines().get(child.errLines().size() - 1);
            assertTrue(last.startsWith("arcgrad train: stopped by SIGINT "), child.err());
            String intact = "the checkpoint " + out.resolve("checkpoint.npz") + " (after epoch ";
            assertTrue(last.contains(intact), last);
            resume = last.substring(last.indexOf("continue with: ") + "continue with: ".length());
            assertEquals("./arcgrad " + String.join(" ", SmallTraining.train("--epochs", "1000", "--out", out.toString()))
                    + " --resume " + out.resolve("checkpoint.npz"), resume);
            int kept = Integer.parseInt(last.substring(last.indexOf(intact) + intact.length()).replaceFirst("\\).*", ""));
            assertEquals(kept, Checkpoint.read(out.resolve("checkpoint.npz")).epochsCompleted(), "the checkpoint the line names");
        }
        assertEquals(List.of(), SmallTraining.temporariesUnder(out));

        // the printed command, as a user pastes it (minus the launcher); SIGTERM stops it the same way
        String[] args = Arrays.copyOfRange(resume.split(" "), 1, resume.split(" ").length);
        try (ChildCli child = ChildCli.start(List.of(), Map.of(), args)) {
            child.awaitLine(true, l -> l.startsWith("resumed from " + out.resolve("checkpoint.npz")), 120);
            child.awaitLine(true, l -> l.matches("epoch +\\d+/1000 .*"), 120);
            child.signal("TERM");
            assertEquals(143, child.exitCode(60), child.err());
            assertTrue(child.err().contains("arcgrad train: stopped by SIGTERM "), child.err());
            assertTrue(child.err().contains("continue with: arcgrad train "), "the launcher's name defaults to arcgrad: " + child.err());
        }
        assertEquals(List.of(), SmallTraining.temporariesUnder(out));
    }

    @Test
    void aSecondCtrlCQuitsAtOnce() throws Exception {
        Path out = dir.resolve("run");
        // no kernel cache: the compile takes seconds, long enough for two signals inside it
        try (ChildCli child = ChildCli.start(LAUNCHER, Map.of("ARCGRAD_CACHE", "off"),
                SmallTraining.train("--epochs", "1000", "--out", out.toString()))) {
            child.awaitLine(true, l -> l.startsWith("device: "), 120);
            child.signal("INT");
            child.awaitLine(false, l -> l.contains("SIGINT received: stopping after this step"), 30);
            child.signal("INT");
            assertEquals(130, child.exitCode(30), child.err());
            assertTrue(child.err().contains("second signal, quitting now"), child.err());
            assertFalse(child.out().contains("compiled the training step"), "it did not wait for the compile: " + child.out());
        }
        assertEquals(List.of(), SmallTraining.temporariesUnder(out));
    }
}
