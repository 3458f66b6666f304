package io.serendip.ml.recommender;

import io.serendip.ml.jobs.OutputDir;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.jobs.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Batch job: packages an externally trained sequence recommender (TorchScript or ONNX, see docs/models.md) as a
 * {@code recommender} artifact, after loading its files and running one probe forward pass.
 */
@Command(name = "import-recommender", mixinStandardHelpOptions = true,
        description = "Check an externally trained sequence recommender (TorchScript or ONNX model, item vectors,"
                + " item ids) by loading it and running a probe forward pass, then write a recommender artifact.")
public final class ImportRecommenderCommand extends Job {

    @Option(names = "--format", required = true, description = "torchscript or onnx.")
    String format;

    @Option(names = "--model", required = true, description = "Model file: history int64 [batch, L] -> user state float32 [batch, d].")
    Path model;

    @Option(names = "--item-vectors", required = true, description = "Item vectors, a float32 [items, d] .npy file.")
    Path itemVectors;

    @Option(names = "--items", required = true, description = "Item ids in index order, one per line.")
    Path items;

    @Option(names = "--max-length", description = "History length L the model reads; required unless the model"
            + " declares it (an ONNX input of shape [batch, L]).")
    Integer maxLength;

    @Mixin
    OutputDir output = new OutputDir();

    @Override
    protected void execute() throws Exception {
        requireEmptyOutput(output.path());
        ExternalFormat modelFormat = ExternalFormat.parse(format);
        progress("loading %s with DJL's %s engine", model, modelFormat.engine());
        try (ExternalSequenceRecommender recommender = ExternalSequenceRecommender.open(modelFormat, model,
                itemVectors, items, maxLength)) {
            progress("%d items, dimension %d, history length %d: probe forward pass passed", recommender.itemCount(),
                    recommender.dimension(), recommender.maxHistory());
            Files.createDirectories(output.path());
            Files.copy(model, output.path().resolve(modelFormat.fileName()));
            Files.copy(itemVectors, output.path().resolve(ExternalModelDescriptor.ITEM_VECTORS_FILE));
            Files.copy(items, output.path().resolve(TransformerSequenceRecommender.ITEMS_FILE));
            new ExternalModelDescriptor(modelFormat, recommender.maxHistory(), recommender.dimension(),
                    recommender.itemCount()).write(output.path());
            ArtifactManifest.builder(TransformerSequenceRecommender.KIND)
                    .inputFile("model", model).inputFile("item-vectors", itemVectors).inputFile("items", items)
                    .metric("itemCount", recommender.itemCount()).metric("dimension", recommender.dimension())
                    .metric("maxLength", recommender.maxHistory())
                    .write(output.path());
        }
        progress("wrote %s", output.path());
    }
}
