package org.arcgrad.arcface.eval;

/**
 * Plots render into images, never onto a screen, and training runs on servers without one: AWT
 * must start headless or its first use fails ("no X11 DISPLAY"). The property only counts before
 * AWT initializes, so every plotting entry point calls {@link #ensure()} before touching it. A
 * value the user set explicitly is left alone.
 */
final class Headless {
    private Headless() {
    }

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
