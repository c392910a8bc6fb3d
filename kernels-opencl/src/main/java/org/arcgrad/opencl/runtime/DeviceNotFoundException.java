package org.arcgrad.opencl.runtime;

import java.util.List;

/** A device spec (from ARCGRAD_DEVICE or the API) matched no device; the message lists those there are. */
public final class DeviceNotFoundException extends OpenClException {
    public DeviceNotFoundException(String problem, List<DeviceInfo> available) {
        super(problem + "\n" + listing(available), NO_CODE);
    }

    private static String listing(List<DeviceInfo> available) {
        StringBuilder text = new StringBuilder("Available OpenCL devices:\n");
        for (DeviceInfo info : available) {
            text.append("    ").append(info.oneLine()).append('\n');
        }
        text.append("Choose one with ").append(DeviceSpec.ENV_VARIABLE)
                .append(" (or the API) set to an index like 0:0, a type (gpu, cpu, accelerator)")
                .append(" or part of a device or platform name.");
        return text.toString();
    }
}
