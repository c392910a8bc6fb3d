package org.arcgrad.opencl;

/**
 * The device computed values that the fp64 interpreter does not confirm ({@code ARCGRAD_VERIFY}):
 * a driver or compiler fault. The message names the first output and the first node that disagree.
 */
public final class DeviceDisagreementException extends RuntimeException {
    DeviceDisagreementException(String message) {
        super(message);
    }
}
