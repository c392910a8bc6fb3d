package org.arcgrad.autodiff;

/** A tensor operation was called with shapes or types it does not accept; thrown at the call, never later. */
public final class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
