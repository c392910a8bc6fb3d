package org.arcgrad.opencl.runtime;

/**
 * The driver refused to build a program. Generated code is only debuggable with both halves in
 * front of you, so the message carries the build log and the full source with line numbers (the
 * log's line numbers refer to them).
 */
public final class KernelBuildException extends OpenClException {
    private final String buildLog;
    private final String source;
    private final String options;

    KernelBuildException(DeviceInfo device, int code, String options, String buildLog, String source) {
        super(message(device, code, options, buildLog, source), code);
        this.buildLog = buildLog;
        this.source = source;
        this.options = options;
    }

    /** What the compiler said. */
    public String buildLog() {
        return buildLog;
    }

    /** The OpenCL C source that failed, as given. */
    public String source() {
        return source;
    }

    /** The build options that were passed. */
    public String options() {
        return options;
    }

    /** The source with right-aligned 1-based line numbers: "  12 | float x = ...". */
    public static String withLineNumbers(String source) {
        // A final newline ends the last line; it does not start an empty one.
        String body = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        String[] lines = body.split("\n", -1);
        int width = String.valueOf(lines.length).length();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            out.append(String.format("%" + width + "d | %s\n", i + 1, lines[i]));
        }
        return out.toString();
    }

    private static String message(DeviceInfo device, int code, String options, String log, String source) {
        return "OpenCL program failed to build on device '" + device.name() + "' (driver " + device.driverVersion()
                + ", options \"" + options + "\"): " + ClErrors.nameOf(code) + " (" + code + ")\n"
                + "--- build log ---\n" + (log.isBlank() ? "(the driver gave no log)" : log.strip()) + "\n"
                + "--- source ---\n" + withLineNumbers(source);
    }
}
