package org.arcgrad.arcface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every environment variable arcgrad reads, set to a value it does not take, in a real process
 * (the JVM cannot change its own environment): one line naming the variable and what it takes,
 * exit 2, before any work.
 */
class EnvironmentCheckTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> badValues() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        return Stream.of(
                Arguments.of("ARCGRAD_CACHE", "maybe", "use ARCGRAD_CACHE=off"),
                Arguments.of("ARCGRAD_CACHE_DIR", file.toString(), "is a file, not a folder"),
                Arguments.of("ARCGRAD_PLAN", "fast", "use auto, cpu or gpu"),
                Arguments.of("ARCGRAD_VERIFY", "perhaps", "ARCGRAD_VERIFY"),
                Arguments.of("ARCGRAD_DEBUG", "yes", "use ARCGRAD_DEBUG=1"),
                Arguments.of("ARCGRAD_HOME", dir.resolve("nowhere").toString(), "is not a folder"),
                Arguments.of("ARCGRAD_DEVICE", "no-such-device", "(from ARCGRAD_DEVICE=no-such-device) matches no OpenCL device"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void aValueNotTakenIsOneLineNamingTheVariable(String variable, String value, String says) throws Exception {
        Path out = dir.resolve("out-" + variable);
        try (ChildCli child = ChildCli.start(List.of(), Map.of(variable, value),
                SmallTraining.train("--epochs", "1", "--out", out.toString()))) {
            assertEquals(Main.BAD_INPUT, child.exitCode(120), child.err());
            assertEquals(1, child.errLines().size(), child.err());
            assertTrue(child.err().contains(variable + "=" + value) && child.err().contains(says), child.err());
            assertTrue(!child.out().contains("compiled"), child.out());
        }
        assertTrue(!Files.exists(out.resolve("checkpoint.npz")));
    }
}
