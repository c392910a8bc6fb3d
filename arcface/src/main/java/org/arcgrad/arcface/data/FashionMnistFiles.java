package org.arcgrad.arcface.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one Fashion-MNIST labels or images file and checks that it is what it claims: labels are
 * unsigned bytes [N] in 0..9, images unsigned bytes [N, 28, 28] with N equal to the labels' count.
 */
final class FashionMnistFiles {
    private FashionMnistFiles() {
    }

    static int[] readLabels(Path file) throws IOException {
        IdxArray array = IdxReader.read(file);
        IdxHeader h = array.header();
        if (h.type() != IdxType.UNSIGNED_BYTE || h.rank() != 1) {
            throw new IdxFormatException(file.toString(), "expected Fashion-MNIST labels, dims [N] of "
                    + IdxType.UNSIGNED_BYTE + ", found " + h.describe());
        }
        int[] labels = array.toIntArray();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= FashionMnist.CLASSES) {
                throw new IdxFormatException(file.toString(), "label " + labels[i] + " at index " + i + " is outside 0.."
                        + (FashionMnist.CLASSES - 1) + " (Fashion-MNIST has " + FashionMnist.CLASSES + " classes)");
            }
        }
        return labels;
    }

    /**
     * Reads the raw pixels, refusing a file whose header does not match before any pixel is read:
     * the labels file {@code labelsFile} said there are {@code count} images.
     */
    static byte[] readImages(Path file, Path labelsFile, int count) throws IOException {
        try (IdxInput in = IdxInput.open(file)) {
            IdxHeader h = in.header();
            int side = FashionMnist.IMAGE_SIDE;
            if (h.type() != IdxType.UNSIGNED_BYTE || h.rank() != 3 || h.dim(1) != side || h.dim(2) != side) {
                throw new IdxFormatException(in.source(), "expected Fashion-MNIST images, dims [N, " + side + ", " + side
                        + "] of " + IdxType.UNSIGNED_BYTE + ", found " + h.describe());
            }
            if (h.dim(0) != count) {
                throw new IdxFormatException(in.source(), "holds " + h.dim(0) + " images but its labels file " + labelsFile
                        + " holds " + count + " labels; the two files must belong together");
            }
            byte[] pixels = new byte[h.elements()];
            in.readData(pixels, 0, pixels.length);
            in.finish();
            return pixels;
        }
    }
}
