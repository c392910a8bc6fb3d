package org.arcgrad.arcface.cli;

/** Input the user can fix (a file, a shape, an option value): printed as one line, exit code 2, no stack trace. */
public final class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }
}
