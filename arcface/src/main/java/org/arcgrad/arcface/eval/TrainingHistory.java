package org.arcgrad.arcface.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The per-epoch record of a training run, filled by the trainer one {@link EpochRecord} at a time
 * and read by the plots and metrics.json. Epoch numbers must increase (a resumed run continues
 * its numbering). Not thread-safe: one trainer thread appends.
 *
 * <pre>{@code
 * TrainingHistory history = new TrainingHistory();
 * history.add(new EpochRecord(1, meanLoss, closedSet.accuracy(), verification.accuracy(), seconds));
 * }</pre>
 */
public final class TrainingHistory {
    private final List<EpochRecord> records = new ArrayList<>();

    public void add(EpochRecord record) {
        if (!records.isEmpty() && record.epoch() <= last().orElseThrow().epoch()) {
            throw new IllegalArgumentException("epoch " + record.epoch() + " after epoch " + last().orElseThrow().epoch()
                    + ": epochs must increase");
        }
        records.add(record);
    }

    /** The records, oldest first (a read-only view). */
    public List<EpochRecord> records() {
        return Collections.unmodifiableList(records);
    }

    public int size() {
        return records.size();
    }

    public Optional<EpochRecord> last() {
        return records.isEmpty() ? Optional.empty() : Optional.of(records.get(records.size() - 1));
    }

    public int[] epochs() {
        return records.stream().mapToInt(EpochRecord::epoch).toArray();
    }

    public double[] losses() {
        return column(EpochRecord::loss);
    }

    public double[] testAccuracies() {
        return column(EpochRecord::testAccuracy);
    }

    public double[] verificationAccuracies() {
        return column(EpochRecord::verificationAccuracy);
    }

    public double[] epochSeconds() {
        return column(EpochRecord::seconds);
    }

    /** Sum of the epochs' training seconds. */
    public double totalSeconds() {
        double sum = 0;
        for (EpochRecord r : records) {
            sum += r.seconds();
        }
        return sum;
    }

    private double[] column(ToDoubleFunction<EpochRecord> field) {
        return records.stream().mapToDouble(field).toArray();
    }
}
