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
    /** Exit code for bad input: a missing file, a wrong shape or dtype, an out-of-range option. */
    public static final int BAD_INPUT = 2;

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
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
