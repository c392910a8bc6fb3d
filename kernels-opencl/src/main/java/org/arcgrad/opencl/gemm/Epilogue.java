package org.arcgrad.opencl.gemm;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenCL C applied to every accumulated value of C before it leaves the kernel: the door for
 * fusing elementwise work into the GEMM.
 *
 * <p>The expression sees {@code const int row}, {@code const int col} (the element's position in
 * C, whatever the variant) and {@code const float acc} (the finished dot product), and the extra
 * kernel parameters declared in {@code parameters}, which are appended to the GEMM kernel's own
 * arguments in the order given. For example {@code Epilogue.of("acc * s", "const float s")}
 * scales, and {@code Epilogue.of("acc + bias[col]", "__global const float* restrict bias")}
 * adds a per-column bias. It is rendered as a function of its own, so its names cannot collide with
 * the kernel's locals. {@code preamble} is emitted before the kernel, for helper functions.
 *
 * @param expression an OpenCL C expression of type float
 * @param parameters extra kernel parameter declarations, each ending in the parameter's name
 * @param preamble OpenCL C placed before the kernel (may be empty)
 */
public record Epilogue(String expression, List<String> parameters, String preamble) {

    private static final Pattern TRAILING_NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*$");
    /** Names the kernel or the epilogue function already uses. */
    private static final Set<String> RESERVED = Set.of("M", "N", "K", "A", "B", "C", "lda", "ldb", "ldc", "row", "col", "acc");

    public Epilogue {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("epilogue expression must not be empty; use Epilogue.identity() for none");
        }
        parameters = List.copyOf(parameters);
        preamble = preamble == null ? "" : preamble;
        for (String p : parameters) {
            String name = parameterName(p);
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("epilogue parameter '" + p + "' uses the reserved name '" + name
                    + "'; reserved: " + RESERVED);
            }
        }
    }

    /** Stores the accumulated value unchanged. */
    public static Epilogue identity() {
        return new Epilogue("acc", List.of(), "");
    }

    public static Epilogue of(String expression, String... parameters) {
        return new Epilogue(expression, List.of(parameters), "");
    }

    public Epilogue withPreamble(String code) {
        return new Epilogue(expression, parameters, code);
    }

    public boolean isIdentity() {
        return expression.strip().equals("acc") && parameters.isEmpty();
    }

    /** Names of the extra parameters, in order. */
    public List<String> parameterNames() {
        return parameters.stream().map(Epilogue::parameterName).toList();
    }

    static String parameterName(String declaration) {
        Matcher m = TRAILING_NAME.matcher(declaration);
        if (declaration.isBlank() || !m.find()) {
            throw new IllegalArgumentException("epilogue parameter '" + declaration
                + "' must be a C parameter declaration ending in its name, e.g. \"const float s\"");
        }
        return m.group(1);
    }
}
