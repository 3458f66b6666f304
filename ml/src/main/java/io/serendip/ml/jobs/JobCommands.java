package io.serendip.ml.jobs;

import java.util.ArrayList;
import java.util.List;

/** The batch jobs of the offline pipeline, registered by the runtime as subcommands of {@code job}. */
public final class JobCommands {
    private JobCommands() {
    }

    /** New instances of every job command (picocli {@code @Command} objects). */
    public static List<Object> all() {
        List<Object> commands = new ArrayList<>();
        commands.add(new DataJobs.ImportMovieLens());
        commands.add(new DataJobs.ImportSequences());
        commands.add(new DataJobs.GenerateSynthetic());
        commands.add(new PipelineJobs.Embed());
        commands.add(new PipelineJobs.BuildClusters());
        commands.add(new BuildClusterSetJob());
        commands.add(new io.serendip.ml.recommender.TrainRecommenderCommand());
        commands.add(new io.serendip.ml.recommender.ImportRecommenderCommand());
        commands.add(new io.serendip.ml.interest.TrainInterestModelCommand());
        commands.add(new PipelineJobs.PrecomputeNovelty());
        commands.add(new PipelineJobs.MergeNovelty());
        commands.add(new EvaluateJob());
        commands.add(new DeleteArtifactsJob());
        return commands;
    }
}
