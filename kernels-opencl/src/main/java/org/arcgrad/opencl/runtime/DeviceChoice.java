package org.arcgrad.opencl.runtime;

/**
 * The device picked for this process and why.
 *
 * @param device    the chosen device
 * @param spec      the spec that chose it ("default" when none was given)
 * @param fromEnvironment whether {@value DeviceSpec#ENV_VARIABLE} chose it (false: the default preference)
 */
public record DeviceChoice(Device device, DeviceSpec spec, boolean fromEnvironment) {
}
