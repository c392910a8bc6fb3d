package org.arcgrad.arcface.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The arguments a user gave a subcommand, after its name, as typed (to repeat them in a hint). */
final class CommandArgs {
    private CommandArgs() {
    }

    static List<String> of(CommandSpec spec) {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return all.subList(at + 1, all.size());
    }
}
