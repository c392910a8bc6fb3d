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
    /** Exit code when the JVM ran out of heap memory, or the device out of its memory. */
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
        // The environment is checked once, before any command works (help needs no valid environment).
        cl.setExecutionStrategy(parseResult -> {
            Integer help = CommandLine.executeHelpRequest(parseResult);
            if (help != null) {
                return help;
            }
            try {
                EnvironmentCheck.run();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ExecutionException(cl, e.getMessage(), e);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        // Whatever a command did not handle itself ends as one line and a documented code.
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean badInput = ex instanceof IllegalArgumentException || ex instanceof BadInputException;
            boolean outOfMemory = ex instanceof OutOfMemoryFailure;
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": "
                    + (badInput || outOfMemory ? "" : "internal error, " + ex.getClass().getSimpleName() + ": ")
                    + String.join(" ", String.valueOf(ex.getMessage()).lines().toList()));
            if (debug()) {
                ex.printStackTrace(commandLine.getErr());
            } else if (!badInput && !outOfMemory) {
                commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": run again with " + ENV_DEBUG
                        + "=1 for the stack trace");
            }
            return badInput ? BAD_INPUT : outOfMemory ? OUT_OF_MEMORY : INTERNAL;
        });
        return cl;
    }

    static boolean debug() {
        return "1".equals(System.getenv(ENV_DEBUG));
    }

    /** What {@value #ENV_DEBUG} may be: unset or empty, 0 or 1. */
    static void checkDebugVariable(String value) {
        if (value != null && !value.isBlank() && !value.trim().equals("0") && !value.trim().equals("1")) {
            throw new IllegalArgumentException(ENV_DEBUG + "=" + value + " is not understood; use " + ENV_DEBUG
                    + "=1 to print stack traces, or leave it unset");
        }
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
