package org.arcgrad.arcface.data;

/**
 * A whole IDX file in memory: its header and its elements in the file's (row-major) order, kept in
 * the narrowest Java array of its type ({@code byte[]} for both byte types, so 60000 MNIST images
 * take 47 MB, not four times that).
 */
public final class IdxArray {
    private final IdxHeader header;
    /** byte[], short[], int[], float[] or double[], by {@link IdxHeader#type()}. */
    private final Object data;

    IdxArray(IdxHeader header, Object data) {
        this.header = header;
        this.data = data;
    }

    public IdxHeader header() {
        return header;
    }

    public IdxType type() {
        return header.type();
    }

    /** A copy of the dimensions, outermost first. */
    public int[] dims() {
        return header.dims();
    }

    /** The number of elements. */
    public int size() {
        return header.elements();
    }

    /** Element {@code i} of an integer type: unsigned bytes give 0..255, signed bytes −128..127. */
    public int intAt(int i) {
        return switch (header.type()) {
            case UNSIGNED_BYTE -> Byte.toUnsignedInt(((byte[]) data)[i]);
            case SIGNED_BYTE -> ((byte[]) data)[i];
            case SHORT -> ((short[]) data)[i];
            case INT -> ((int[]) data)[i];
            case FLOAT, DOUBLE -> throw new IllegalStateException("elements of type " + header.type()
                    + " are not integers; use doubleAt");
        };
    }

    /** Element {@code i} of any type, exactly (every type fits a double). */
    public double doubleAt(int i) {
        return switch (header.type()) {
            case FLOAT -> ((float[]) data)[i];
            case DOUBLE -> ((double[]) data)[i];
            default -> intAt(i);
        };
    }

    /** All elements of an integer type as ints. */
    public int[] toIntArray() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = intAt(i);
        }
        return out;
    }

    /**
     * The backing array of a byte type, not a copy (image files are large): for unsigned bytes read
     * each element with {@link Byte#toUnsignedInt}.
     */
    public byte[] byteData() {
        if (header.type().itemSize() != 1) {
            throw new IllegalStateException("elements of type " + header.type() + " are not bytes");
        }
        return (byte[]) data;
    }
}
