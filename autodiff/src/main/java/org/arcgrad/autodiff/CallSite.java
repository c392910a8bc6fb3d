package org.arcgrad.autodiff;

import java.security.CodeSource;

/**
 * Finds where in the user's code a node was created: the first stack frame whose class does not
 * come from this module's own classes (a test or a user class in the same package still counts as
 * the user's code, since it comes from another code source).
 */
final class CallSite {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final CodeSource OWN = CallSite.class.getProtectionDomain().getCodeSource();

    private CallSite() {
    }

    static String capture() {
        return WALKER.walk(frames -> frames
                .filter(f -> !isOwn(f.getDeclaringClass()))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .orElse("unknown"));
    }

    private static boolean isOwn(Class<?> c) {
        if (c.getName().startsWith("java.") || c.getName().startsWith("jdk.")) {
            return true;
        }
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        return OWN != null && cs != null && OWN.getLocation().equals(cs.getLocation());
    }
}
