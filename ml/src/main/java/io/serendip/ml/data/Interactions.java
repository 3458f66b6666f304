package io.serendip.ml.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Interaction logs in JSON Lines ({@link Interaction} per line). */
public final class Interactions {
    public static final String FILE_NAME = "interactions.jsonl";
    /** Default: ratings of 4 and above (on a 1..5 scale) are positive engagement. */
    public static final double DEFAULT_RATING_THRESHOLD = 4.0;

    private Interactions() {
    }

    public static List<Interaction> read(Path file) throws IOException {
        return JsonLines.read(file, Interaction.class);
    }

    public static void write(Path file, List<Interaction> interactions) throws IOException {
        JsonLines.write(file, interactions);
    }
}
