package io.serendip.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which artifact paths a pod reads and writes, derived from its typed config: what a storage initializer downloads
 * before the pod's process starts, and what a Job uploads when it has finished, when artifacts live in an object
 * store rather than on a mounted volume. Only paths under the artifact root are transferred; anything else (e.g. a
 * base model shipped in the image) is the image's.
 *
 * @param inputs paths that must exist in the store (a missing one is an error)
 * @param optionalInputs paths downloaded when present (a training's checkpoint, so a retried pod resumes)
 * @param outputs paths the pod writes and uploads on success
 * @param checkpoints paths the pod keeps its resumable state in, uploaded while it runs and when it is stopped
 * @param deletions paths the pod removes (a retired version's artifacts): removed from the store too
 */
public record ArtifactTransfers(List<String> inputs, List<String> optionalInputs, List<String> outputs,
        List<String> checkpoints, List<String> deletions) {

    public ArtifactTransfers {
        inputs = List.copyOf(inputs);
        optionalInputs = List.copyOf(optionalInputs);
        outputs = List.copyOf(outputs);
        checkpoints = List.copyOf(checkpoints);
        deletions = List.copyOf(deletions);
    }

    /** Transfers that delete nothing. */
    public ArtifactTransfers(List<String> inputs, List<String> optionalInputs, List<String> outputs,
            List<String> checkpoints) {
        this(inputs, optionalInputs, outputs, checkpoints, List.of());
    }

    /** What a Job of this config reads and writes under {@code root}. */
    public static ArtifactTransfers of(JobConfig job, String root) {
        return switch (job.kind()) {
            case ClusterBuild -> plain(root, List.of(job.clusterBuild().catalog()), job.clusterBuild().output());
            case InterestModelTraining -> training(root, job.interestModelTraining().output(),
                    job.interestModelTraining().clusters(), job.interestModelTraining().baseModel());
            case RecommenderTraining -> training(root, job.recommenderTraining().output(),
                    job.recommenderTraining().clusters());
            case NoveltyPrecompute -> plain(root, List.of(job.noveltyPrecompute().clusters(),
                    job.noveltyPrecompute().interestModel()), job.noveltyPrecompute().output());
            case NoveltyMerge -> plain(root, List.of(job.noveltyMerge().shards(), job.noveltyMerge().clusters(),
                    job.noveltyMerge().interestModel()), job.noveltyMerge().output());
            // a cleanup deletes in the store itself: nothing to download or upload
            case ArtifactCleanup -> new ArtifactTransfers(List.of(), List.of(), List.of(), List.of(),
                    under(root, job.artifactCleanup().paths().stream()));
        };
    }

    /**
     * What the pod whose config file this is (a Job config or a server config, told apart by its kind) reads and
     * writes: the storage initializer reads the same file as the container it prepares.
     */
    public static ArtifactTransfers ofConfigFile(Path file, String root) {
        String yaml = ConfigYaml.readText(file);
        Matcher kind = Pattern.compile("^kind:\\s*(\\w+)", Pattern.MULTILINE).matcher(yaml);
        boolean job = kind.find() && Arrays.stream(JobKind.values()).anyMatch(k -> k.name().equals(kind.group(1)));
        return job ? of(JobConfigs.parse(yaml), root) : of(RuntimeConfigs.parse(yaml), root);
    }

    /** What a server of this config reads under {@code root}; servers write nothing. */
    public static ArtifactTransfers of(RuntimeConfig config, String root) {
        List<String> inputs = switch (config.kind()) {
            case RecommenderConfig -> List.of(config.recommender().modelDir(), config.recommender().clustersDir(),
                    config.recommender().noveltyTable());
            case InterestModelConfig -> List.of(config.interestModel().modelDir(), config.interestModel().clustersDir());
            case RouterConfig -> List.of();
        };
        return new ArtifactTransfers(under(root, inputs.stream()), List.of(), List.of(), List.of());
    }

    private static ArtifactTransfers plain(String root, List<String> inputs, String output) {
        return new ArtifactTransfers(under(root, inputs.stream()), List.of(), under(root, Stream.of(output)), List.of());
    }

    private static ArtifactTransfers training(String root, String output, String... inputs) {
        List<String> checkpoint = under(root, Stream.of(output).filter(Objects::nonNull).map(ArtifactLayout::checkpointOf));
        return new ArtifactTransfers(under(root, Stream.of(inputs)), checkpoint, under(root, Stream.of(output)),
                checkpoint);
    }

    private static List<String> under(String root, Stream<String> paths) {
        List<String> out = new ArrayList<>();
        paths.filter(p -> ArtifactLayout.isStrictlyInside(root, p)).map(p -> p.replaceAll("/+$", ""))
                .filter(p -> !out.contains(p)).forEach(out::add);
        return out;
    }
}
