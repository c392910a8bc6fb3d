/**
 * Evaluation of a trained embedding model and the output files of a training run: closed-set
 * accuracy, verification accuracy by the LFW protocol, curves.png, cosines.png and metrics.json.
 * Inputs are embeddings as the model produces them ({@code float[]} row-major N×E, {@code int[]}
 * labels); all arithmetic on them is fp64.
 *
 * <h2>Closed-set accuracy</h2>
 * {@link org.arcgrad.arcface.eval.ClosedSetAccuracy}: class centers = mean of the L2-normalized
 * training embeddings of each class, normalized again ({@link org.arcgrad.arcface.eval.ClassCenters});
 * each test embedding gets the class of the center with the largest cosine (exact ties: the
 * smallest label); accuracy = fraction right, also per class. Test classes without training
 * samples are refused.
 *
 * <h2>Verification (LFW protocol, as insightface's {@code verification.py})</h2>
 * {@link org.arcgrad.arcface.eval.Verification}, with {@link org.arcgrad.arcface.eval.VerificationProtocol#lfw}:
 * <ol>
 *   <li>6 000 pairs of test samples, drawn with {@code java.util.Random(seed)}: 3 000 same-class,
 *       uniformly among all unordered same-class pairs, and 3 000 different-class, uniformly among
 *       all different-class pairs; never a sample with itself, never a pair twice
 *       ({@link org.arcgrad.arcface.eval.VerificationPairs}).</li>
 *   <li>10 folds of 600 consecutive pairs, each 300 same-class then 300 different-class (the
 *       layout of LFW's {@code pairs.txt}; insightface splits with {@code KFold(10, shuffle=False)},
 *       which takes exactly these blocks).</li>
 *   <li>Score = cosine of the two embeddings; "same" is predicted when score &gt; threshold.
 *       (insightface thresholds squared distance of unit vectors, 2 − 2·cos: the same order.)</li>
 *   <li>For each fold, the threshold maximizing accuracy on the other 9 folds, by exact search
 *       over the midpoints between neighbouring sorted scores; of equal maxima, the middle of the
 *       widest maximizing gap, then the lowest ({@link org.arcgrad.arcface.eval.ThresholdSearch}).
 *       insightface scans a fixed grid instead (400 distance steps of 0.01) and takes the first
 *       maximum; the exact search reaches at least the grid's training accuracy.</li>
 *   <li>Accuracy on the held-out fold; reported: mean and <em>population</em> std (ddof = 0,
 *       {@code np.std} as insightface) of the 10 accuracies, the mean threshold, both cosine
 *       distributions, and TAR at FAR = 1e-3 over all pairs
 *       ({@link org.arcgrad.arcface.eval.TarAtFar}, not cross-validated).</li>
 * </ol>
 *
 * <h2>Training outputs</h2>
 * The trainer appends an {@link org.arcgrad.arcface.eval.EpochRecord} per epoch to a
 * {@link org.arcgrad.arcface.eval.TrainingHistory} and hands a
 * {@link org.arcgrad.arcface.eval.TrainingMetrics} to
 * {@link org.arcgrad.arcface.eval.TrainingReport#write}, which replaces curves.png
 * ({@link org.arcgrad.arcface.eval.CurvesPlot}), cosines.png ({@link org.arcgrad.arcface.eval.CosinesPlot})
 * and metrics.json ({@link org.arcgrad.arcface.eval.MetricsJson}, schema there) together and
 * atomically. Plots render headless.
 *
 * <pre>{@code
 * Embeddings train = Embeddings.of(trainX, 128, trainY), test = Embeddings.of(testX, 128, testY);
 * VerificationPairs pairs = VerificationPairs.draw(test.labels(), VerificationProtocol.lfw(42)); // once
 * // after each epoch:
 * ClosedSetResult closed = ClosedSetAccuracy.evaluate(train, test);
 * VerificationResult ver = Verification.evaluate(test.unitRows(), pairs);
 * history.add(new EpochRecord(epoch, meanLoss, closed.accuracy(), ver.accuracy(), epochSeconds));
 * TrainingReport.write(outDir, new TrainingMetrics(settings, history, closed, ver, trainSeconds, trainedSamples));
 * }</pre>
 */
package org.arcgrad.arcface.eval;
