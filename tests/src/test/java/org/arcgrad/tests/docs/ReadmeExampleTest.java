package org.arcgrad.tests.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arcgrad.autodiff.Tape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example runs as written: extracted verbatim and run as a single-file Java program. */
class ReadmeExampleTest {
    @Test
    void readmeExampleRunsAsWritten(@TempDir Path dir) throws IOException, InterruptedException {
        Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), "README.md has no ```java block");
        Path source = dir.resolve("Example.java");
        Files.writeString(source, m.group(1), StandardCharsets.UTF_8);

        String autodiff = Path.of(Tape.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", autodiff, source.toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "example did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.matches("(?s)loss = [0-9.]+, grad_w has shape \\[10, 8\\]\n.*"), out);
        assertTrue(out.contains("gradcheck passed"), out);
    }
}
