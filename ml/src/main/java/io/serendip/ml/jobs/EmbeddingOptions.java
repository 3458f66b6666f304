package io.serendip.ml.jobs;

import picocli.CommandLine.Option;

/** How item embeddings are computed, shared by {@code embed} and {@code build-cluster-set}. */
final class EmbeddingOptions {
    @Option(names = "--text-model", defaultValue = "all-MiniLM-L6-v2",
            description = "Sentence encoder for text embeddings: all-MiniLM-L6-v2 or its int8-quantized"
                    + " all-MiniLM-L6-v2-q (default ${DEFAULT-VALUE}).")
    String textModel = "all-MiniLM-L6-v2";

    @Option(names = "--dimension", defaultValue = "64", description = "Co-occurrence dimension (default ${DEFAULT-VALUE}).")
    int dimension = 64;

    @Option(names = "--window", defaultValue = "5", description = "Co-occurrence window (default ${DEFAULT-VALUE}).")
    int window = 5;
}
