package org.arcgrad.arcface.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.arcgrad.arcface.eval.EpochRecord;
import org.arcgrad.arcface.eval.TrainingHistory;
import org.arcgrad.opencl.files.AtomicFiles;
import org.arcgrad.arcface.npy.NpyArray;
import org.arcgrad.arcface.npy.NpyFormatException;
import org.arcgrad.arcface.npy.NpyReader;
import org.arcgrad.arcface.npy.NpyWriter;

/**
 * The state of a run after a completed epoch, in one file that numpy reads as an .npz
 * ({@code np.load("checkpoint.npz")["fc1.weight"]}): every kept tensor (weights, batch-norm
 * statistics, optimizer state) as float32 NAME.npy, the history as {@value #HISTORY} (float64
 * [epochs, 5]: epoch, loss, test accuracy, verification accuracy, seconds; NaN = not measured),
 * and {@value #META} (epochs and steps completed, the seed, the time trained, and every setting of
 * the {@link Recipe}). All randomness is a function of the seed and the epoch or step (shuffling,
 * dropout), so this is all a resumed run needs to continue exactly.
 *
 * <p>Written with {@link AtomicFiles} (temporary file, fsync, rename, fsync of the folder): a
 * process killed at any moment leaves the previous complete checkpoint in place.
 */
public record Checkpoint(int epochsCompleted, long stepsCompleted, double trainSeconds, long trainedSamples,
                         Map<String, String> settings, Map<String, float[]> tensors, Map<String, int[]> shapes,
                         TrainingHistory history) {
    public static final String FORMAT = "arcgrad-checkpoint/1";
    static final String META = "checkpoint.properties";
    static final String HISTORY = "history.npy";
    private static final String SETTING = "setting.";

    public Checkpoint {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
    }

    /** Replaces {@code file} atomically with this checkpoint. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, channel -> {
            // not closed: closing would close the channel, which AtomicFiles still has to fsync
            ZipOutputStream zip = new ZipOutputStream(Channels.newOutputStream(channel));
            for (Map.Entry<String, float[]> t : tensors.entrySet()) {
                put(zip, t.getKey() + ".npy", NpyWriter.toBytes(NpyArray.ofFloat32(shapes.get(t.getKey()), t.getValue())));
            }
            put(zip, HISTORY, NpyWriter.toBytes(historyArray()));
            put(zip, META, meta());
            zip.finish();
            zip.flush();
        });
    }

    /** Reads a checkpoint; a file that is not a complete checkpoint is an IOException saying what is wrong. */
    public static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + ": no such checkpoint file");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (ZipException e) {
            throw new IOException(file + ": not a checkpoint (" + e.getMessage() + ")", e);
        }
        byte[] meta = entries.remove(META);
        byte[] history = entries.remove(HISTORY);
        if (meta == null || history == null) {
            throw new IOException(file + ": not a complete arcgrad checkpoint (no " + (meta == null ? META : HISTORY) + ")");
        }
        Properties p = new Properties();
        p.load(new StringReader(new String(meta, StandardCharsets.UTF_8)));
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IOException(file + ": format " + p.getProperty("format") + ", expected " + FORMAT);
        }
        Map<String, String> settings = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(SETTING)) {
                settings.put(key.substring(SETTING.length()), p.getProperty(key));
            }
        }
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                String name = e.getKey().endsWith(".npy") ? e.getKey().substring(0, e.getKey().length() - 4) : e.getKey();
                NpyArray a = NpyReader.read(e.getValue(), file + "!" + e.getKey());
                tensors.put(name, a.float32Data());
                shapes.put(name, a.shape());
            }
            return new Checkpoint(Integer.parseInt(p.getProperty("epochs_completed")), Long.parseLong(p.getProperty("steps_completed")),
                    Double.parseDouble(p.getProperty("train_seconds")), Long.parseLong(p.getProperty("trained_samples")),
                    settings, tensors, shapes, history(NpyReader.read(history, file + "!" + HISTORY)));
        } catch (NpyFormatException | NumberFormatException | NullPointerException | IllegalStateException e) {
            throw new IOException(file + ": damaged checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that this checkpoint was made with the same settings; the message names every setting
     * that differs, with both values.
     */
    public void requireSettings(Map<String, String> current) {
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String> e : current.entrySet()) {
            String saved = settings.get(e.getKey());
            if (!e.getValue().equals(saved)) {
                differ.add(e.getKey() + ": checkpoint has " + (saved == null ? "none" : saved) + ", this run " + e.getValue());
            }
        }
        for (String key : settings.keySet()) {
            if (!current.containsKey(key)) {
                differ.add(key + ": checkpoint has " + settings.get(key) + ", this run none");
            }
        }
        if (!differ.isEmpty()) {
            throw new SettingsMismatchException("the checkpoint was made with other settings; resume with the same ones. "
                    + String.join("; ", differ));
        }
    }

    private byte[] meta() {
        StringBuilder b = new StringBuilder();
        b.append("format=").append(FORMAT).append('\n');
        b.append("epochs_completed=").append(epochsCompleted).append('\n');
        b.append("steps_completed=").append(stepsCompleted).append('\n');
        b.append("train_seconds=").append(trainSeconds).append('\n');
        b.append("trained_samples=").append(trainedSamples).append('\n');
        Properties p = new Properties();
        for (Map.Entry<String, String> s : settings.entrySet()) {
            p.setProperty(SETTING + s.getKey(), s.getValue());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return (b + out.toString(StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private NpyArray historyArray() {
        List<EpochRecord> records = history.records();
        double[] d = new double[records.size() * 5];
        for (int i = 0; i < records.size(); i++) {
            EpochRecord r = records.get(i);
            System.arraycopy(new double[] {r.epoch(), r.loss(), r.testAccuracy(), r.verificationAccuracy(), r.seconds()}, 0, d, i * 5, 5);
        }
        return NpyArray.ofFloat64(new int[] {records.size(), 5}, d);
    }

    private static TrainingHistory history(NpyArray a) throws NpyFormatException {
        TrainingHistory h = new TrainingHistory();
        double[] d = a.float64Data();
        for (int i = 0; i + 4 < d.length; i += 5) {
            h.add(new EpochRecord((int) d[i], d[i + 1], d[i + 2], d[i + 3], d[i + 4]));
        }
        return h;
    }

    /** A stored (uncompressed) entry: the weights barely compress, and storing keeps writes fast. */
    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }
}
