package org.arcgrad.arcface.nn;

/**
 * The shape of one image, [channels, height, width], as the layers of a convolutional network see
 * it: the batch flows between layers as [N, C, H, W], and a layer's features (what
 * {@link Layer#outFeatures} counts) are C·H·W.
 */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("an image has at least 1 channel and 1×1 pixels, got " + this);
        }
    }

    public int features() {
        return channels * height * width;
    }

    /**
     * Checks that a layer built for this image gets its C·H·W features.
     *
     * @param layer the layer's description, for the message
     * @throws IllegalArgumentException naming the layer and both counts when they differ
     */
    void requireFeatures(String layer, int features) {
        if (features != features()) {
            throw new IllegalArgumentException(layer + " gets " + features + " features, not " + features());
        }
    }

    @Override
    public String toString() {
        return channels + "×" + height + "×" + width;
    }
}
