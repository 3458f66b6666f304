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

    /**
     * Applies the thread limit; refuses (exit code 2) an {@code output} that exists and is not empty. PyTorch's
     * OpenMP runtime takes its thread count from {@code OMP_NUM_THREADS} when it loads, and with the variable unset
     * some of its work runs on every core whatever the engine was given (the results change with it), so the job says
     * when the two disagree.
     */
    public void prepare(Job job, Path output) throws IOException {
        TorchThreads.limit(torchThreads);
        Job.requireEmptyOutput(output);
        String omp = System.getenv("OMP_NUM_THREADS");
        boolean differs = omp == null ? torchThreads < Runtime.getRuntime().availableProcessors()
                : !String.valueOf(torchThreads).equals(omp);
        if (torchThreads > 0 && differs) {
            job.progress("note: OMP_NUM_THREADS is %s: PyTorch's OpenMP runtime may use other than --torch-threads %d"
                    + " threads; set OMP_NUM_THREADS=%d as well", omp == null ? "unset" : omp, torchThreads,
                    torchThreads);
        }
    }
}
