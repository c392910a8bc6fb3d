package org.arcgrad.arcface.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `arcgrad` command line. Each subcommand is its own class; this one only wires them. */
@Command(name = "arcgrad", mixinStandardHelpOptions = true, version = "arcgrad 0.1.0",
        description = "Custom losses as expressions, symbolic gradients, forward + backward as OpenCL kernels.",
        footer = {"", "The launcher also runs:",
            "  ./arcgrad test       the test suite (mvn install; Maven flags pass through)",
            "  ./arcgrad mutation   mutation testing with PIT and the merged score (a benchmark, not a test)"},
        subcommands = {DemoCommand.class, TrainCommand.class, DevicesCommand.class, HeadCommand.class, org.arcgrad.arcface.bench.BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input: a missing file, a wrong shape or dtype, an out-of-range option, a bad environment variable. */
    public static final int BAD_INPUT = 2;
    /** Exit code when the JVM ran out of heap memory. */
    public static final int OUT_OF_MEMORY = 3;
    /** Exit code for a failure the command did not foresee (a bug, or a fault of the platform). */
    public static final int INTERNAL = 4;
    /** Set to 1 to get the stack trace of a failure as well as its one line. */
    public static final String ENV_DEBUG = "ARCGRAD_DEBUG";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The configured command line (tests call this to run commands in-process). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("arcgrad: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return BAD_INPUT;
        });
        // Whatever a command did not handle itself ends as one line and a documented code.
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean badInput = ex instanceof IllegalArgumentException || ex instanceof BadInputException;
            commandLine.getErr().println("arcgrad: " + (badInput ? "" : "internal error, " + ex.getClass().getSimpleName() + ": ")
                    + ex.getMessage());
            if (debug()) {
                ex.printStackTrace(commandLine.getErr());
            } else if (!badInput) {
                commandLine.getErr().println("arcgrad: run again with " + ENV_DEBUG + "=1 for the stack trace");
            }
            return badInput ? BAD_INPUT : INTERNAL;
        });
        return cl;
    }

    static boolean debug() {
        return "1".equals(System.getenv(ENV_DEBUG));
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("arcgrad: out of Java heap memory (" + e.getMessage() + "); give the JVM more with "
                    + "ARCGRAD_JAVA_OPTS=-Xmx<size>, e.g. -Xmx8g, or make the problem smaller");
            if (debug()) {
                e.printStackTrace();
            }
            code = OUT_OF_MEMORY;
        }
        System.exit(code);
    }
}
