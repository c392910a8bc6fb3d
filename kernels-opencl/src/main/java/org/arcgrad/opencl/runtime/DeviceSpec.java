package org.arcgrad.opencl.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which device to use, as a user writes it in {@value #ENV_VARIABLE} or passes to the API:
 * <ul>
 *   <li>an index {@code platform:device}, e.g. {@code 0:0} (the ids {@code ./arcgrad devices} prints);</li>
 *   <li>a type: {@code gpu}, {@code cpu} or {@code accelerator};</li>
 *   <li>otherwise part of a name, case-insensitive: the device name is tried first, then the device
 *       vendor and the platform name and vendor (so {@code nvidia} or {@code pocl} work too);</li>
 *   <li>empty, {@code default} or {@code auto}: the default choice.</li>
 * </ul>
 * When several devices match a type or a name, and for the default, the choice prefers a GPU,
 * then a CPU, then anything, and within one kind the first in listing order, so that the same
 * machine always gets the same device.
 */
public final class DeviceSpec {
    /** The environment variable that picks the device for every arcgrad command and program. */
    public static final String ENV_VARIABLE = "ARCGRAD_DEVICE";

    private static final Pattern INDEX = Pattern.compile("(\\d+):(\\d+)");

    private enum Kind { DEFAULT, INDEX, TYPE, NAME }

    private final String text;
    private final Kind kind;

    private DeviceSpec(String text, Kind kind) {
        this.text = text;
        this.kind = kind;
    }

    /** Parses a spec; null or blank means the default. Never fails: a spec only fails to match. */
    public static DeviceSpec parse(String spec) {
        String text = spec == null ? "" : spec.trim();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.equals("default") || lower.equals("auto")) {
            return new DeviceSpec(text, Kind.DEFAULT);
        }
        if (INDEX.matcher(text).matches()) {
            return new DeviceSpec(text, Kind.INDEX);
        }
        if (typeOf(lower).isPresent()) {
            return new DeviceSpec(text, Kind.TYPE);
        }
        return new DeviceSpec(text, Kind.NAME);
    }

    /** The default choice: a GPU, then a CPU, then anything. */
    public static DeviceSpec preferred() {
        return new DeviceSpec("", Kind.DEFAULT);
    }

    public boolean isDefault() {
        return kind == Kind.DEFAULT;
    }

    /**
     * The device this spec selects from {@code devices}.
     *
     * @param origin where the spec came from, for the message: "ARCGRAD_DEVICE", "the API"
     * @throws DeviceNotFoundException when nothing matches; the message lists the devices
     */
    public DeviceInfo pick(List<DeviceInfo> devices, String origin) {
        List<DeviceInfo> candidates = candidates(devices);
        if (candidates.isEmpty()) {
            String problem = isDefault()
                    ? "No OpenCL device to choose from."
                    : "The device spec '" + text + "' (from " + origin + ") matches no OpenCL device.";
            throw new DeviceNotFoundException(problem, devices);
        }
        return candidates.stream().min(PREFERENCE).orElseThrow();
    }

    private List<DeviceInfo> candidates(List<DeviceInfo> devices) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<DeviceInfo> out = new ArrayList<>();
        switch (kind) {
            case DEFAULT -> out.addAll(devices);
            case INDEX -> {
                Matcher m = INDEX.matcher(text);
                m.matches();
                for (DeviceInfo d : devices) {
                    if (String.valueOf(d.platformIndex()).equals(stripZeros(m.group(1)))
                            && String.valueOf(d.deviceIndex()).equals(stripZeros(m.group(2)))) {
                        out.add(d);
                    }
                }
            }
            case TYPE -> {
                DeviceType type = typeOf(lower).orElseThrow();
                devices.stream().filter(d -> d.type() == type).forEach(out::add);
            }
            case NAME -> {
                devices.stream().filter(d -> contains(d.name(), lower)).forEach(out::add);
                if (out.isEmpty()) {
                    devices.stream()
                            .filter(d -> contains(d.vendor(), lower) || contains(d.platformName(), lower)
                                    || contains(d.platformVendor(), lower))
                            .forEach(out::add);
                }
            }
        }
        return out;
    }

    /** GPU before CPU before the rest; then listing order. */
    private static final Comparator<DeviceInfo> PREFERENCE = Comparator
            .comparingInt((DeviceInfo d) -> switch (d.type()) {
                case GPU -> 0;
                case CPU -> 1;
                default -> 2;
            })
            .thenComparingInt(DeviceInfo::platformIndex)
            .thenComparingInt(DeviceInfo::deviceIndex);

    private static Optional<DeviceType> typeOf(String lower) {
        return switch (lower) {
            case "gpu" -> Optional.of(DeviceType.GPU);
            case "cpu" -> Optional.of(DeviceType.CPU);
            case "accelerator", "acc" -> Optional.of(DeviceType.ACCELERATOR);
            default -> Optional.empty();
        };
    }

    private static boolean contains(String haystack, String lowerNeedle) {
        return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }

    /** "00:01" and "0:1" are the same index; a number too long for int simply matches nothing. */
    private static String stripZeros(String digits) {
        return digits.replaceFirst("^0+(?=\\d)", "");
    }

    @Override
    public String toString() {
        return isDefault() ? "default" : text;
    }
}
