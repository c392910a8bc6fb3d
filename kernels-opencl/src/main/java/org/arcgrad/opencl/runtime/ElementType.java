package org.arcgrad.opencl.runtime;

/** What a {@link DeviceBuffer} holds. Device math is fp32; int32 carries class labels and indices. */
public enum ElementType {
    FLOAT32("float", 4),
    INT32("int", 4);

    private final String clName;
    private final int bytes;

    ElementType(String clName, int bytes) {
        this.clName = clName;
        this.bytes = bytes;
    }

    /** The OpenCL C type name, for code generation: "float", "int". */
    public String clName() {
        return clName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** "float32", "int32" for messages. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
