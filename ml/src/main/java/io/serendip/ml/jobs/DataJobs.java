package io.serendip.ml.jobs;

import io.serendip.ml.data.Catalog;
import io.serendip.ml.data.Dataset;
import io.serendip.ml.data.MovieLensImporter;
import io.serendip.ml.data.PositiveSequences;
import io.serendip.ml.data.SequenceImporter;
import io.serendip.ml.data.SyntheticGenerator;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Jobs that produce dataset directories ({@code catalog.jsonl} + {@code interactions.jsonl}). */
final class DataJobs {
    private DataJobs() {
    }

    static void report(Job job, Dataset dataset, Path output) {
        PositiveSequences sequences = dataset.positiveSequences();
        job.progress("wrote %s: %d items, %d interactions, %d users with %d positive events", output,
                dataset.catalog().size(), dataset.interactions().size(), sequences.size(), sequences.eventCount());
    }

    @Command(name = "import-movielens", mixinStandardHelpOptions = true,
            description = "Import MovieLens-100K (u.item, u.genre, u.data) into a dataset directory.")
    static final class ImportMovieLens extends Job {
        @Option(names = "--source", required = true, description = "The ml-100k directory.")
        Path source;

        @Mixin
        OutputDir output = new OutputDir();

        @Override
        protected void execute() throws Exception {
            progress("reading %s", source);
            Dataset dataset = MovieLensImporter.importFrom(source);
            dataset.write(output.path());
            report(this, dataset, output.path());
        }
    }

    @Command(name = "import-sequences", mixinStandardHelpOptions = true,
            description = "Import the common sequence format (one line per user: user item item ..., chronological).")
    static final class ImportSequences extends Job {
        @Option(names = "--input", required = true, description = "Sequence file.")
        Path input;

        @Option(names = "--catalog", description = "Optional catalog.jsonl with item text; default: ids only.")
        Path catalog;

        @Mixin
        OutputDir output = new OutputDir();

        @Override
        protected void execute() throws Exception {
            Dataset dataset = SequenceImporter.importFrom(input, catalog == null ? null : Catalog.read(catalog));
            dataset.write(output.path());
            report(this, dataset, output.path());
        }
    }

    @Command(name = "generate-synthetic", mixinStandardHelpOptions = true,
            description = "Generate a catalog and interaction log with planted interest transitions.")
    static final class GenerateSynthetic extends Job {
        @Option(names = "--items", defaultValue = "1000", description = "Items (default ${DEFAULT-VALUE}).")
        int items;

        @Option(names = "--users", defaultValue = "2000", description = "Users (default ${DEFAULT-VALUE}).")
        int users;

        @Option(names = "--interests", defaultValue = "20", description = "Planted interests (default ${DEFAULT-VALUE}).")
        int interests;

        @Option(names = "--mean-length", defaultValue = "20", description = "Mean sequence length (default ${DEFAULT-VALUE}).")
        int meanLength;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        OutputDir output = new OutputDir();

        @Override
        protected void execute() throws Exception {
            Dataset dataset = SyntheticGenerator.generate(new SyntheticGenerator.Options(items, users, interests,
                    meanLength, seed));
            dataset.write(output.path());
            report(this, dataset, output.path());
        }
    }
}
