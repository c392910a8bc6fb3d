package org.arcgrad.arcface.cli;

/**
 * The value of {@code --class-chunk} in {@code head} and {@code train}: a number of classes per
 * chunk, {@code auto} or {@code off}, as {@link org.arcgrad.arcface.train.Recipe#classChunk}
 * holds it: K ≥ 1, null for auto, 0 for off (the whole graph).
 */
final class ClassChunkOption {
    static final String AUTO = "auto";
    static final String OFF = "off";

    private ClassChunkOption() {
    }

    static Integer parse(String value) {
        if (AUTO.equals(value)) {
            return null;
        }
        if (OFF.equals(value)) {
            return 0;
        }
        try {
            int k = Integer.parseInt(value);
            if (k >= 1) {
                return k;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new BadInputException("--class-chunk: must be a number ≥ 1, auto or off, got " + value);
    }
}
