package org.arcgrad.opencl.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes a program binary reusable: the same source and options built by the same driver for
 * the same device. The driver version is there because binaries do not survive driver upgrades.
 */
record ProgramKey(String source, String options, String platformName, String deviceName, String driverVersion,
                  String deviceVersion) {

    /** Bumped when the on-disk format or the key changes, so old files are simply never found. */
    private static final String FORMAT = "arcgrad-program-cache-v1";

    static ProgramKey of(String source, String options, DeviceInfo device) {
        return new ProgramKey(source, options, device.platformName(), device.name(), device.driverVersion(),
                device.deviceVersion());
    }

    /** SHA-256 of every field, each length-prefixed so that no two keys can run together. */
    String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String field : new String[] {FORMAT, source, options, platformName, deviceName, driverVersion,
                    deviceVersion}) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
