package org.arcgrad.arcface.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 60 000 training and 10 000 test images of 28×28
 * 8-bit grey pixels in 10 classes, read from the four IDX files of Debian's
 * {@code dataset-fashion-mnist} package (/usr/share/datasets/fashion-mnist) or of any folder holding
 * them, gzip-compressed ({@code train-images-idx3-ubyte.gz}) or not ({@code train-images-idx3-ubyte}).
 *
 * <p>Features are the 784 pixels of an image, row by row, through the {@link PixelNormalization}
 * fitted on the training images (mean 0.2860, std 0.3530) and applied to both sets.
 *
 * <pre>{@code
 * FashionMnist data = FashionMnist.load();          // or FashionMnist.load(Path.of(dir))
 * Dataset train = data.train();                      // 60000 × 784, labels 0..9
 * System.out.println(data.normalization());          // (v/255 - 0.286041) / 0.353024
 * }</pre>
 */
public record FashionMnist(Dataset train, Dataset test, PixelNormalization normalization) {
    /** Where Debian's package puts the files. */
    public static final Path DEFAULT_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    /** The Debian package that holds the files. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    public static final int CLASSES = 10;
    public static final int IMAGE_SIDE = 28;
    public static final int DIM = IMAGE_SIDE * IMAGE_SIDE;
    /** The names of labels 0..9, from the data set's README. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Loads from {@link #DEFAULT_FOLDER}. */
    public static FashionMnist load() throws IOException {
        return load(DEFAULT_FOLDER);
    }

    /** Loads from {@code folder}; a missing folder or file is a {@link DataNotFoundException} that says how to get it. */
    public static FashionMnist load(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new DataNotFoundException(folder, "Fashion-MNIST folder " + folder
                    + (Files.exists(folder) ? " is not a folder. " : " does not exist. ") + howToGetIt());
        }
        Path trainImages = locate(folder, TRAIN_IMAGES);
        Path trainLabels = locate(folder, TRAIN_LABELS);
        Path testImages = locate(folder, TEST_IMAGES);
        Path testLabels = locate(folder, TEST_LABELS);

        int[] trainY = FashionMnistFiles.readLabels(trainLabels);
        byte[] trainPixels = FashionMnistFiles.readImages(trainImages, trainLabels, trainY.length);
        PixelNormalization normalization = fitNormalization(trainPixels, trainImages);
        float[] table = normalization.lookupTable();
        ImageLayout images = new ImageLayout(IMAGE_SIDE, table[0]);
        Dataset train = new Dataset("Fashion-MNIST train", transform(trainPixels, table), trainY, DIM, CLASS_NAMES, images);
        trainPixels = null; // let the raw bytes go before the test set is read

        int[] testY = FashionMnistFiles.readLabels(testLabels);
        byte[] testPixels = FashionMnistFiles.readImages(testImages, testLabels, testY.length);
        Dataset test = new Dataset("Fashion-MNIST test", transform(testPixels, table), testY, DIM, CLASS_NAMES, images);
        return new FashionMnist(train, test, normalization);
    }

    /** The split as the common {@link Samples} pair. */
    public TrainTestSplit<Dataset> split() {
        return new TrainTestSplit<>(train, test);
    }

    /** {@code folder/name.gz}, else {@code folder/name}; neither is a {@link DataNotFoundException}. */
    private static Path locate(Path folder, String name) throws DataNotFoundException {
        Path gz = folder.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = folder.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DataNotFoundException(gz, "Fashion-MNIST file " + gz + " (or " + plain + ", uncompressed) is missing. "
                + howToGetIt());
    }

    private static String howToGetIt() {
        return "Install Debian's package " + DEBIAN_PACKAGE + " (apt-get install " + DEBIAN_PACKAGE + "), which puts the files in "
                + DEFAULT_FOLDER + ", or point the loader (the command line's --data DIR) at a folder holding "
                + TRAIN_IMAGES + ".gz, " + TRAIN_LABELS + ".gz, " + TEST_IMAGES + ".gz and " + TEST_LABELS + ".gz.";
    }

    private static PixelNormalization fitNormalization(byte[] pixels, Path file) throws IdxFormatException {
        long[] counts = new long[256];
        for (byte p : pixels) {
            counts[p & 0xff]++;
        }
        for (int v = 0; v < 256; v++) {
            if (counts[v] == pixels.length) {
                throw new IdxFormatException(file.toString(), "every pixel of every training image is " + v
                        + ", so their standard deviation is 0 and they cannot be normalized: not real images");
            }
        }
        return PixelNormalization.fit(counts);
    }

    private static float[] transform(byte[] pixels, float[] table) {
        float[] features = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            features[i] = table[pixels[i] & 0xff];
        }
        return features;
    }
}
