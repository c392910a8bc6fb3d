package org.arcgrad.arcface.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.arcgrad.arcface.eval.EpochRecord;
import org.arcgrad.arcface.train.TrainingListener;

/**
 * The console view of a training run: a progress bar per epoch with the running loss and the
 * throughput, then the epoch's accuracies. On a terminal the bar redraws in place; otherwise (a
 * log, a pipe) each epoch's bar is printed when it ends, and once a minute before that, so logs
 * stay readable and a long epoch (a million classes) still shows that it moves.
 */
final class ConsoleProgress implements TrainingListener {
    private final PrintWriter out;
    private final boolean interactive;
    private ProgressBar bar;
    private double lossSum;

    ConsoleProgress(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public void classChunks(Integer width) {
        if (width != null) {
            out.printf("training step by chunks of %d classes (no N×C buffer on the device)%n", width);
            out.flush();
        }
    }

    @Override
    public void compiled(double seconds, int kernels) {
        out.printf("compiled the training step: %d kernels in %.1f s%n", kernels, seconds);
        out.flush();
    }

    @Override
    public void resumed(Path checkpoint, int epochsCompleted) {
        out.printf("resumed from %s after epoch %d%n", checkpoint, epochsCompleted);
        out.flush();
    }

    @Override
    public void epochStarted(int epoch, int epochs, int steps) {
        lossSum = 0;
        bar = new ProgressBarBuilder()
                .setTaskName(String.format("epoch %" + Integer.toString(epochs).length() + "d/%d", epoch, epochs))
                .setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setMaxRenderedLength(110)
                .setConsumer(new Consumer())
                .build();
    }

    @Override
    public void stepDone(int stepInEpoch, float loss, double samplesPerSecond) {
        lossSum += loss;
        bar.stepTo(stepInEpoch);
        bar.setExtraMessage(String.format("loss %.4f, %,.0f samples/s", lossSum / stepInEpoch, samplesPerSecond));
    }

    @Override
    public void epochTrained(int epoch, double meanLoss, double seconds, double samplesPerSecond) {
        bar.setExtraMessage(String.format("loss %.4f, %,.0f samples/s, %.1f s", meanLoss, samplesPerSecond, seconds));
        bar.close();
    }

    @Override
    public void interrupted() {
        bar.setExtraMessage("stopped");
        bar.close();
    }

    @Override
    public void epochDone(EpochRecord r, Path checkpoint) {
        if (!Double.isNaN(r.testAccuracy())) {
            out.printf("          test accuracy %.4f, verification accuracy %.4f%n", r.testAccuracy(), r.verificationAccuracy());
            out.flush();
        }
    }

    /** Where the bar goes: redrawn in place on a terminal, printed once at the end otherwise. */
    private final class Consumer implements ProgressBarConsumer {
        private static final long LOG_EVERY_NANOS = 60_000_000_000L;
        private String last = "";
        private long lastLogged = System.nanoTime();

        @Override
        public int getMaxRenderedLength() {
            return 110;
        }

        @Override
        public void accept(String rendered) {
            last = rendered;
            if (interactive) {
                out.print('\r');
                out.print(rendered);
                out.flush();
            } else if (System.nanoTime() - lastLogged >= LOG_EVERY_NANOS) {
                lastLogged = System.nanoTime();
                out.println(rendered);
                out.flush();
            }
        }

        @Override
        public void close() {
            if (!interactive) {
                out.print(last);
            }
            out.println();
            out.flush();
        }
    }
}
