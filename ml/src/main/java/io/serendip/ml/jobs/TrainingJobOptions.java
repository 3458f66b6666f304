package io.serendip.ml.jobs;

import io.serendip.ml.transformer.TorchThreads;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options and start-up checks every model-training job shares (a picocli mixin). */
public final class TrainingJobOptions {

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    public long seed;

    @Option(names = "--rating-threshold", defaultValue = "4.0",
            description = "Ratings at or above this count as positive engagement (default ${DEFAULT-VALUE}).")
    public double ratingThreshold;

    @Option(names = "--torch-threads", defaultValue = "0",
            description = "PyTorch intra-op threads; 0 keeps the engine default. On a CPU shared with other work, 1 avoids"
                    + " spinning threads (default ${DEFAULT-VALUE}).")
    public int torchThreads;

    /** Applies the thread limit; refuses (exit code 2) an {@code output} that exists and is not empty. */
    public void prepare(Path output) throws IOException {
        TorchThreads.limit(torchThreads);
        Job.requireEmptyOutput(output);
    }
}
