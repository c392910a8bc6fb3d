package org.arcgrad.arcface.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.arcgrad.opencl.files.TemporaryFiles;

/** What the command-line tests train: a small synthetic problem, and where they look for leftovers. */
final class SmallTraining {
    /** 10 identities in 32 dimensions, a 32-32-16 MLP, batch 64: 15 steps an epoch. */
    static final List<String> OPTIONS = List.of("--dataset", "synthetic", "--synthetic-classes", "10", "--synthetic-dim", "32",
            "--hidden", "32", "--embedding", "16", "--batch", "64");

    private SmallTraining() {
    }

    /** {@code train} with the small problem and {@code extra}. */
    static String[] train(String... extra) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(OPTIONS);
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    /** Every temporary file of an atomic write under {@code folder}, at any depth. */
    static List<Path> temporariesUnder(Path folder) {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(TemporaryFiles::isTemporary).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
