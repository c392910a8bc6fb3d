package org.arcgrad.opencl.gemm;

/** A string builder for generated C that keeps indentation, so rendered kernels stay readable. */
final class SourceWriter {
    private final StringBuilder text = new StringBuilder();
    private int depth;

    SourceWriter line(String s) {
        text.append("  ".repeat(depth)).append(s).append('\n');
        return this;
    }

    SourceWriter line() {
        text.append('\n');
        return this;
    }

    /** Writes {@code head {} and indents until the matching {@link #close()}. */
    SourceWriter open(String head) {
        line(head.isEmpty() ? "{" : head + " {");
        depth++;
        return this;
    }

    SourceWriter close() {
        depth--;
        return line("}");
    }

    /** Closes the current block and opens {@code } head {} at the same depth, e.g. {@code "else"}. */
    SourceWriter reopen(String head) {
        depth--;
        line("} " + head + " {");
        depth++;
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
