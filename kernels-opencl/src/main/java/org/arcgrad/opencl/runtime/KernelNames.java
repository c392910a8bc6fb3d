package org.arcgrad.opencl.runtime;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code __kernel} functions an OpenCL C source declares, read from the text (comments left
 * out), so that a cached binary can be checked against the source it is supposed to come from.
 */
final class KernelNames {
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern KERNEL = Pattern.compile("\\b(?:__kernel|kernel)\\b[^;{}]*?\\bvoid\\s+(\\w+)\\s*\\(");

    private KernelNames() {
    }

    static Set<String> declaredIn(String source) {
        Matcher m = KERNEL.matcher(COMMENT.matcher(source).replaceAll(" "));
        Set<String> names = new LinkedHashSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
