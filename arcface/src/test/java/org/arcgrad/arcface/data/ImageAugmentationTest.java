package org.arcgrad.arcface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seeded crop-and-flip against a reference written the way torchvision does it (pad the image
 * with a blank border into a larger array, cut the window, then mirror it), on 5×5 images whose
 * pixels are all different, so any misplaced pixel shows.
 */
class ImageAugmentationTest {
    private static final int SIDE = 5;
    private static final float BLANK = -0.81f;
    private static final ImageLayout LAYOUT = new ImageLayout(SIDE, BLANK);

    /** n images; pixel (r, c) of image i is 100·i + 10·r + c. */
    private static Dataset images(int n) {
        float[] f = new float[n * SIDE * SIDE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < SIDE * SIDE; p++) {
                f[i * SIDE * SIDE + p] = 100 * i + 10 * (p / SIDE) + p % SIDE;
            }
            labels[i] = i % 3;
        }
        return new Dataset("5x5 images", f, labels, SIDE * SIDE, List.of("a", "b", "c"), LAYOUT);
    }

    /** torchvision's order: pad, crop at (top, left), then flip the crop. */
    private static float[] reference(float[] image, ImageAugmentation.Draw d) {
        int p = ImageAugmentation.PADDING;
        int big = SIDE + 2 * p;
        float[][] padded = new float[big][big];
        for (float[] row : padded) {
            Arrays.fill(row, BLANK);
        }
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                padded[r + p][c + p] = image[r * SIDE + c];
            }
        }
        float[] crop = new float[SIDE * SIDE];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                crop[r * SIDE + c] = padded[r + d.top()][c + d.left()];
            }
        }
        if (!d.flip()) {
            return crop;
        }
        float[] flipped = new float[SIDE * SIDE];
        for (int r = 0; r < SIDE; r++) {
            for (int c = 0; c < SIDE; c++) {
                flipped[r * SIDE + c] = crop[r * SIDE + SIDE - 1 - c];
            }
        }
        return flipped;
    }

    @Test
    void everySampleOfEveryBatchIsItsReferenceCropAndFlip() {
        Dataset data = images(40);
        ImageAugmentation augment = new ImageAugmentation(LAYOUT, 7);
        Batcher batches = Batcher.forTraining(data, 8, 7);
        Batch batch = batches.newBatch();
        int flipped = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            batches.startEpoch(epoch);
            while (batches.next(batch)) {
                augment.apply(batch);
                for (int r = 0; r < batch.size(); r++) {
                    int sample = batch.indices()[r];
                    ImageAugmentation.Draw d = augment.draw(epoch, sample);
                    float[] original = Arrays.copyOfRange(data.features(), sample * SIDE * SIDE, (sample + 1) * SIDE * SIDE);
                    float[] got = Arrays.copyOfRange(batch.features(), r * SIDE * SIDE, (r + 1) * SIDE * SIDE);
                    assertArrayEquals(reference(original, d), got, 0f, "epoch " + epoch + ", sample " + sample + ", " + d);
                    flipped += d.flip() ? 1 : 0;
                }
            }
        }
        assertTrue(flipped > 30 && flipped < 90, "flips: " + flipped + " of 120");
    }

    @Test
    void drawsCoverEveryOffsetAndFlipEvenlyAndDependOnSeedEpochAndSampleOnly() {
        ImageAugmentation augment = new ImageAugmentation(LAYOUT, 3);
        int[][] counts = new int[5][5];
        int flips = 0;
        int n = 20_000;
        for (int s = 0; s < n; s++) {
            ImageAugmentation.Draw d = augment.draw(2, s);
            counts[d.top()][d.left()]++;
            flips += d.flip() ? 1 : 0;
        }
        for (int[] row : counts) {
            for (int c : row) {
                assertTrue(Math.abs(c - n / 25.0) < 0.15 * n / 25.0, "offset counts " + Arrays.deepToString(counts));
            }
        }
        assertTrue(Math.abs(flips - n / 2.0) < 0.05 * n / 2.0, "flips " + flips);
        assertEquals(augment.draw(2, 11), new ImageAugmentation(LAYOUT, 3).draw(2, 11), "same seed, epoch and sample");
        int differ = 0;
        for (int s = 0; s < 50; s++) {
            differ += augment.draw(2, s).equals(augment.draw(3, s)) ? 0 : 1;
            differ += augment.draw(2, s).equals(new ImageAugmentation(LAYOUT, 4).draw(2, s)) ? 0 : 1;
        }
        assertTrue(differ > 80, "another epoch or seed draws anew: " + differ + " of 100 differ");
    }

    @Test
    void rowsThatAreNotImagesOfTheLayoutAreRefused() {
        Dataset data = images(8);
        Batcher batches = Batcher.forTraining(data, 4, 1);
        Batch batch = batches.newBatch();
        batches.startEpoch(0);
        batches.next(batch);
        ImageAugmentation sixBySix = new ImageAugmentation(new ImageLayout(6, 0f), 1);
        String m = assertThrows(IllegalArgumentException.class, () -> sixBySix.apply(batch)).getMessage();
        assertTrue(m.contains("25 features") && m.contains("6×6"), m);
        assertNotEquals(LAYOUT, new ImageLayout(6, 0f));
    }
}
