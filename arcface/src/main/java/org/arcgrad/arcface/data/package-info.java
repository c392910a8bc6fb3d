/**
 * The data side of training: reading data sets, generating synthetic ones, and cutting them into
 * reproducible batches.
 *
 * <ul>
 *   <li>{@link org.arcgrad.arcface.data.Samples}: what training and evaluation read, whatever holds it:
 *       size, dim, classes, and bulk {@code features(indices, count, into)} /
 *       {@code labels(indices, count, into)} into arrays the caller reuses.
 *   <li>{@link org.arcgrad.arcface.data.Dataset}: samples in memory (float features row-major, int labels,
 *       class names). {@link org.arcgrad.arcface.data.FashionMnist#load()} gives the train and test sets of
 *       Fashion-MNIST, normalized by the training pixels' mean and std
 *       ({@link org.arcgrad.arcface.data.PixelNormalization}).
 *   <li>{@link org.arcgrad.arcface.data.SyntheticIdentities}: up to millions of classes, each a random unit
 *       centre, samples centre plus noise, computed on demand from (seed, class, sample); nothing stored.
 *   <li>{@link org.arcgrad.arcface.data.Batcher} and {@link org.arcgrad.arcface.data.Batch}: batches filled in
 *       place; training shuffles per epoch by {@link org.arcgrad.arcface.data.EpochPermutation} (seed and
 *       epoch alone, so resumed runs match) and drops the last partial batch, evaluation goes in order and
 *       keeps it.
 *   <li>{@link org.arcgrad.arcface.data.IdxReader} and {@link org.arcgrad.arcface.data.IdxInput}: the IDX
 *       (MNIST) format, gzip or plain by magic, every element type; broken files are refused with an
 *       {@link org.arcgrad.arcface.data.IdxFormatException} that names the file and the problem.
 * </ul>
 *
 * <pre>{@code
 * FashionMnist data = FashionMnist.load();                  // DataNotFoundException says how to install it
 * Batcher batches = Batcher.forTraining(data.train(), 256, seed);
 * Batch batch = batches.newBatch();
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     batches.startEpoch(epoch);
 *     while (batches.next(batch)) {
 *         // batch.features(): 256 × 784 floats, batch.labels(): 256 ints
 *     }
 * }
 * }</pre>
 *
 * <p>Randomness comes from {@code SplitMix64} streams keyed by (seed, purpose, ids), with normals by
 * the polar method in StrictMath: the same on every JVM, and ported to Python in
 * {@code tools/arcgrad_data.py} so benchmarks can see identical data in identical order.
 */
package org.arcgrad.arcface.data;
