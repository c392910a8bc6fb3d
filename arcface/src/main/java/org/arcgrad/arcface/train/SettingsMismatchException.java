package org.arcgrad.arcface.train;

/** A resumed run's settings differ from its checkpoint's; the message names each setting and both values. */
public final class SettingsMismatchException extends RuntimeException {
    public SettingsMismatchException(String message) {
        super(message);
    }
}
