package org.arcgrad.arcface.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.arcgrad.opencl.runtime.ByteSizes;
import org.arcgrad.opencl.runtime.Device;
import org.arcgrad.opencl.runtime.DeviceChoice;
import org.arcgrad.opencl.runtime.DeviceInfo;
import org.arcgrad.opencl.runtime.DeviceNotFoundException;
import org.arcgrad.opencl.runtime.DeviceSpec;
import org.arcgrad.opencl.runtime.Devices;
import org.arcgrad.opencl.runtime.NoOpenClPlatformException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code arcgrad devices}: lists the OpenCL devices and marks the one arcgrad would use. Exits 2
 * with a plain message (no stack trace) when there is no OpenCL, or when ARCGRAD_DEVICE names no device.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"List the OpenCL devices and mark the one arcgrad uses.",
                "Choose another with ARCGRAD_DEVICE: an index (0:0), a type (gpu, cpu) or part of a name."})
public final class DevicesCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Device> devices;
        try {
            devices = Devices.list();
        } catch (NoOpenClPlatformException e) {
            err.println("arcgrad: " + e.getMessage());
            err.flush();
            return Main.BAD_INPUT;
        }
        DeviceChoice choice;
        try {
            choice = Devices.chooseFromEnvironment(devices);
        } catch (DeviceNotFoundException e) {
            print(out, devices, null);
            err.println("arcgrad: " + e.getMessage().lines().findFirst().orElse(""));
            err.println("Set " + DeviceSpec.ENV_VARIABLE + " to one of the ids above, a type (gpu, cpu) or part of a name.");
            err.flush();
            return Main.BAD_INPUT;
        }
        print(out, devices, choice.device());
        if (choice.fromEnvironment()) {
            out.println("* = the device arcgrad uses, chosen by " + DeviceSpec.ENV_VARIABLE + "=" + choice.spec() + ".");
        } else {
            out.println("* = the device arcgrad uses: the default (a GPU if there is one, else the CPU).");
            out.println("    Set " + DeviceSpec.ENV_VARIABLE + " to an id above, a type (gpu, cpu) or part of a name"
                    + " to choose another.");
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, List<Device> devices, Device chosen) {
        out.println("OpenCL devices:");
        for (Device device : devices) {
            DeviceInfo d = device.info();
            out.printf("%s %s  %s  %s%n", device == chosen ? "*" : " ", d.id(), d.type().word(), d.name());
            out.printf("         platform: %s (%s), vendor: %s%n", d.platformName(), d.platformVendor(), d.vendor());
            out.printf("         %d compute units, global memory %s, max allocation %s, fp64 %s%n",
                    d.computeUnits(), ByteSizes.mib(d.globalMemBytes()), ByteSizes.mib(d.maxAllocBytes()),
                    d.fp64() ? "yes" : "no");
            out.printf("         driver %s, OpenCL %s%n", d.driverVersion(), d.openclVersion());
        }
    }
}
