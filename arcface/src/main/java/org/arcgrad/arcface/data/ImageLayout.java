package org.arcgrad.arcface.data;

/**
 * What a sample's features are when they are an image: a square single-channel picture of
 * {@code side} × {@code side} pixels, row by row, and the feature value of a blank (0) pixel, which
 * fills the border an augmentation shifts in.
 */
public record ImageLayout(int side, float blank) {
    public ImageLayout {
        if (side < 1) {
            throw new IllegalArgumentException("an image side must be positive, got " + side);
        }
        if (!Float.isFinite(blank)) {
            throw new IllegalArgumentException("a blank pixel's feature must be finite, got " + blank);
        }
    }

    /** Features per image. */
    public int pixels() {
        return side * side;
    }
}
