package org.arcgrad.arcface.cli;

import org.arcgrad.opencl.runtime.CacheSettings;
import org.arcgrad.opencl.runtime.DeviceContext;
import org.arcgrad.opencl.runtime.DeviceNotFoundException;
import org.arcgrad.opencl.runtime.Devices;
import org.arcgrad.opencl.runtime.OpenClException;

/**
 * The device a command runs on: its --device option, else {@code ARCGRAD_DEVICE}, else a GPU, else
 * the CPU. A failure is one line that says which of the two named the device and lists the
 * devices there are.
 */
public final class DeviceOption {
    static final String OPTION = "--device";

    private DeviceOption() {
    }

    /** Opens the device {@code spec} names (null: the environment's or the default) with the environment's kernel cache. */
    public static DeviceContext open(String spec) {
        try {
            return DeviceContext.open(Devices.chooseForOption(spec, OPTION), CacheSettings.fromEnvironment());
        } catch (DeviceNotFoundException e) {
            throw new BadInputException(e.oneLine());
        } catch (OpenClException e) {
            throw new BadInputException("OpenCL: " + String.join(" ", e.getMessage().lines().toList()));
        }
    }
}
