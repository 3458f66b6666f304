package io.serendip.ml.transformer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The state a transformer training keeps after each epoch, to resume from when its pod is replaced: the epoch,
 * the parameters now and at the best epoch, the best validation score, and a fingerprint of the inputs. Adam's
 * moments are not kept (DJL does not expose them): a resumed run restarts them, so it matches an uninterrupted run
 * within noise, not bit for bit. Written to a temporary file and moved over the old one; read back only with the
 * same fingerprint and an intact checksum, else training starts over.
 */
public record TrainerCheckpoint(String fingerprint, int epoch, double best, int bestEpoch, double trainingSeconds,
                                double lastLoss, float[][] current, float[][] bestParameters) {
    private static final String MAGIC = "serendip-trainer-checkpoint/1";

    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.toAbsolutePath().getParent());
        CRC32 crc = new CRC32();
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp));
             DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc))) {
            out.writeUTF(MAGIC);
            out.writeUTF(fingerprint);
            out.writeInt(epoch);
            out.writeDouble(best);
            out.writeInt(bestEpoch);
            out.writeDouble(trainingSeconds);
            out.writeDouble(lastLoss);
            writeArrays(out, current);
            writeArrays(out, bestParameters);
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The checkpoint in {@code file} when it is intact and for these inputs; why not otherwise. */
    public static Optional<TrainerCheckpoint> read(Path file, String fingerprint, java.util.function.Consumer<String> why)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        CRC32 crc = new CRC32();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc))) {
            if (!MAGIC.equals(in.readUTF())) {
                why.accept("checkpoint " + file + " is not a trainer checkpoint; starting over");
                return Optional.empty();
            }
            String stored = in.readUTF();
            if (!stored.equals(fingerprint)) {
                why.accept("checkpoint " + file + " is for other inputs; starting over");
                return Optional.empty();
            }
            TrainerCheckpoint checkpoint = new TrainerCheckpoint(stored, in.readInt(), in.readDouble(), in.readInt(),
                    in.readDouble(), in.readDouble(), readArrays(in), readArrays(in));
            long expected = crc.getValue();
            if (new DataInputStream(raw).readLong() != expected) {
                why.accept("checkpoint " + file + " fails its checksum; starting over");
                return Optional.empty();
            }
            return Optional.of(checkpoint);
        } catch (EOFException | IllegalArgumentException e) {
            why.accept("checkpoint " + file + " is truncated; starting over");
            return Optional.empty();
        }
    }

    private static void writeArrays(DataOutputStream out, float[][] arrays) throws IOException {
        out.writeInt(arrays == null ? -1 : arrays.length);
        if (arrays == null) {
            return;
        }
        for (float[] array : arrays) {
            out.writeInt(array.length);
            for (float v : array) {
                out.writeFloat(v);
            }
        }
    }

    private static float[][] readArrays(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            return null;
        }
        if (count > 100_000) {
            throw new IllegalArgumentException("too many arrays");
        }
        float[][] arrays = new float[count][];
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length < 0 || length > 1 << 28) {
                throw new IllegalArgumentException("bad array length");
            }
            arrays[i] = new float[length];
            for (int j = 0; j < length; j++) {
                arrays[i][j] = in.readFloat();
            }
        }
        return arrays;
    }
}
