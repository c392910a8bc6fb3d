package org.arcgrad.arcface.data;

/**
 * Seeded augmentation of training images, in place on a {@link Batch}: torchvision's
 * {@code RandomCrop(side, padding=2)} (the image placed on a blank border of 2 pixels, a
 * side × side window cut at a random offset in 0..4 along each axis) followed by
 * {@code RandomHorizontalFlip()} (mirrored with probability 1/2).
 *
 * <p>Each sample's draws depend on (seed, epoch, the sample's number) alone, from the
 * {@link SplitMix64} stream keyed by (seed, {@value #AUGMENT_PURPOSE}, epoch, sample): the
 * window's top row, then its left column (each {@code nextInt(5)}), then the flip
 * ({@code nextInt(2) == 1}). So a resumed run augments exactly as one that never stopped, and the
 * batch a sample lands in does not matter.
 */
public final class ImageAugmentation {
    /** Separates the augmentation streams from the shuffling and synthetic-data streams of the same seed. */
    static final long AUGMENT_PURPOSE = 0x4155474dL; // "AUGM"
    public static final int PADDING = 2;

    private final ImageLayout layout;
    private final long seed;
    /** One image's features before the transform. */
    private final float[] source;

    public ImageAugmentation(ImageLayout layout, long seed) {
        this.layout = layout;
        this.seed = seed;
        this.source = new float[layout.pixels()];
    }

    /** One sample's draws: the window's offsets into the padded image and whether it is mirrored. */
    public record Draw(int top, int left, boolean flip) {
    }

    /** The draws of sample {@code sample} in epoch {@code epoch}. */
    public Draw draw(int epoch, int sample) {
        SplitMix64 random = new SplitMix64(SplitMix64.key(seed, AUGMENT_PURPOSE, epoch, sample));
        int top = random.nextInt(2 * PADDING + 1);
        int left = random.nextInt(2 * PADDING + 1);
        return new Draw(top, left, random.nextInt(2) == 1);
    }

    /** Augments every sample of {@code batch} (its features, row by row), by its epoch and the samples' numbers. */
    public void apply(Batch batch) {
        if (batch.dim() != layout.pixels()) {
            throw new IllegalArgumentException("batch rows of " + batch.dim() + " features are not " + layout.side() + "×"
                    + layout.side() + " images");
        }
        for (int r = 0; r < batch.size(); r++) {
            transform(batch.features(), r * batch.dim(), draw(batch.epoch(), batch.indices()[r]));
        }
    }

    /** Crops and flips the image at {@code offset} of {@code features} in place. */
    void transform(float[] features, int offset, Draw d) {
        int side = layout.side();
        System.arraycopy(features, offset, source, 0, source.length);
        for (int row = 0; row < side; row++) {
            int from = row + d.top() - PADDING;
            for (int col = 0; col < side; col++) {
                // the flip mirrors the cropped window, so output column col shows window column side − 1 − col
                int fromCol = (d.flip() ? side - 1 - col : col) + d.left() - PADDING;
                boolean inside = from >= 0 && from < side && fromCol >= 0 && fromCol < side;
                features[offset + row * side + col] = inside ? source[from * side + fromCol] : layout.blank();
            }
        }
    }
}
