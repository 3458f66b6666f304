package io.serendip.ml.embed;

import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ItemIndex;
import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One vector per catalog item, row-major. Artifact directory of kind {@value #KIND}: {@code items.txt} and
 * {@code vectors.f32} (magic "SRNDEMB1", int32 count, int32 dimension, then count x dimension little-endian
 * float32).
 */
public record ItemEmbeddings(ItemIndex items, int dimension, float[] vectors) {
    public static final String KIND = "embeddings";
    public static final String VECTORS_FILE = "vectors.f32";
    private static final byte[] MAGIC = "SRNDEMB1".getBytes(StandardCharsets.US_ASCII);

    public ItemEmbeddings {
        if (dimension < 1 || vectors.length != (long) items.size() * dimension) {
            throw new IllegalArgumentException("expected " + items.size() + " x " + dimension + " values, got "
                    + vectors.length);
        }
    }

    public float[] vector(int item) {
        return Arrays.copyOfRange(vectors, item * dimension, (item + 1) * dimension);
    }

    public double cosine(int a, int b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int d = 0; d < dimension; d++) {
            float x = vectors[a * dimension + d];
            float y = vectors[b * dimension + d];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** Writes the files and a manifest with the given builder (inputs, metrics). */
    public void write(Path dir, ArtifactManifest.Builder manifest) throws IOException {
        Files.createDirectories(dir);
        items.write(dir.resolve("items.txt"));
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(VECTORS_FILE)), 1 << 20))) {
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).putInt(items.size()).putInt(dimension);
            out.write(header.array());
            ByteBuffer value = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : vectors) {
                out.write(value.clear().putFloat(v).array());
            }
        }
        manifest.metric("items", items.size()).metric("dimension", dimension).write(dir);
    }

    public static ItemEmbeddings load(Path dir) {
        ArtifactManifest.readVerified(dir, KIND);
        ItemIndex items = ItemIndex.read(dir.resolve("items.txt"));
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(VECTORS_FILE))).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[MAGIC.length];
            if (bytes.remaining() < 16) {
                throw new ArtifactException(dir.resolve(VECTORS_FILE) + ": truncated header");
            }
            bytes.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ArtifactException(dir.resolve(VECTORS_FILE) + ": bad magic");
            }
            int count = bytes.getInt();
            int dimension = bytes.getInt();
            if (count != items.size() || dimension < 1 || bytes.remaining() != (long) count * dimension * 4) {
                throw new ArtifactException(dir.resolve(VECTORS_FILE) + ": size does not match " + items.size()
                        + " items of dimension " + dimension);
            }
            float[] vectors = new float[count * dimension];
            bytes.asFloatBuffer().get(vectors);
            return new ItemEmbeddings(items, dimension, vectors);
        } catch (IOException e) {
            throw new ArtifactException("cannot read embeddings in " + dir, e);
        }
    }

    /** Scales every row to unit L2 norm (zero rows stay zero). */
    public static void normalizeRows(float[] vectors, int dimension) {
        for (int start = 0; start < vectors.length; start += dimension) {
            double norm = 0;
            for (int d = 0; d < dimension; d++) {
                norm += vectors[start + d] * vectors[start + d];
            }
            if (norm > 0) {
                float scale = (float) (1 / Math.sqrt(norm));
                for (int d = 0; d < dimension; d++) {
                    vectors[start + d] *= scale;
                }
            }
        }
    }
}
