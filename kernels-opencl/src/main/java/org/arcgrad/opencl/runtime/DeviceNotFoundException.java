package org.arcgrad.opencl.runtime;

import java.util.List;

/** A device spec (from ARCGRAD_DEVICE or the API) matched no device; the message lists those there are. */
public final class DeviceNotFoundException extends OpenClException {
    private final String problem;
    private final transient List<DeviceInfo> available;

    public DeviceNotFoundException(String problem, List<DeviceInfo> available) {
        super(problem + "\n" + listing(available), NO_CODE);
        this.problem = problem;
        this.available = List.copyOf(available);
    }

    /** The problem and the devices there are, in one line (what a command line prints). */
    public String oneLine() {
        StringBuilder text = new StringBuilder(problem).append(" Devices here: ");
        for (int i = 0; i < available.size(); i++) {
            DeviceInfo d = available.get(i);
            text.append(i == 0 ? "" : "; ").append(d.id()).append(' ').append(d.type().word()).append(' ').append(d.name());
        }
        return text.append(". Name one by its id (0:0), its type (gpu, cpu) or part of its name.").toString();
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
