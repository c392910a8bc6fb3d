package org.arcgrad.arcface.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.arcgrad.opencl.CompileOptions;
import org.arcgrad.opencl.runtime.CacheSettings;

/**
 * Every environment variable arcgrad reads, checked before a command does any work, each by the
 * code that reads it: an unknown value is one line naming the variable and the values it takes
 * (exit 2), never a surprise an hour into a run.
 * <ul>
 *   <li>ARCGRAD_CACHE (on/off), ARCGRAD_CACHE_DIR (a folder): {@link CacheSettings#fromEnvironment()};</li>
 *   <li>ARCGRAD_PLAN (auto/cpu/gpu), ARCGRAD_VERIFY (0/1): {@link CompileOptions#fromEnvironment()};</li>
 *   <li>ARCGRAD_DEBUG (0/1): {@link Main#checkDebugVariable};</li>
 *   <li>ARCGRAD_HOME (the repository, set by the launcher): must be a folder;</li>
 *   <li>ARCGRAD_DEVICE takes any text (an id, a type or part of a name); one that matches no device
 *       fails when the command opens its device, naming the variable and listing the devices.</li>
 * </ul>
 * ARCGRAD_JAVA_OPTS is the launcher's and reaches the JVM, which refuses a bad one itself.
 */
final class EnvironmentCheck {
    static final String ENV_HOME = "ARCGRAD_HOME";

    private EnvironmentCheck() {
    }

    static void run() {
        CacheSettings.fromEnvironment();
        CompileOptions.fromEnvironment();
        Main.checkDebugVariable(System.getenv(Main.ENV_DEBUG));
        String home = System.getenv(ENV_HOME);
        if (home != null && !home.isBlank() && !Files.isDirectory(Path.of(home))) {
            throw new IllegalArgumentException(ENV_HOME + "=" + home + " is not a folder; it names the arcgrad repository"
                    + " (the launcher sets it), or leave it unset");
        }
    }
}
