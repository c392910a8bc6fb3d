package org.arcgrad.opencl.gemm;

/** A string builder for generated C that keeps indentation, so rendered kernels stay readable. */
final class SourceWriter {
    private final StringBuilder text = new StringBuilder();
    private int depth;

    void line(String s) {
        text.append("  ".repeat(depth)).append(s).append('\n');
    }

    /** Writes {@code head {} and indents until the matching {@link #close()}. */
    void open(String head) {
        line(head.isEmpty() ? "{" : head + " {");
        depth++;
    }

    void close() {
        depth--;
        line("}");
    }

    /** Closes the current block and opens {@code } head {} at the same depth, e.g. {@code "else"}. */
    void reopen(String head) {
        depth--;
        line("} " + head + " {");
        depth++;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
