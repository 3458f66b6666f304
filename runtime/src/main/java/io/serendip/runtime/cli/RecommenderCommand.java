package io.serendip.runtime.cli;

import io.serendip.runtime.recommender.RecommenderServerSpec;
import io.serendip.runtime.server.ServerRuntime;
import picocli.CommandLine.Command;

@Command(name = "recommender", mixinStandardHelpOptions = true,
        description = "Recommender server: slates of exploitation and novel-interest exploration items.")
final class RecommenderCommand extends ServeCommand {
    @Override
    ServerRuntime.Spec<?> spec() {
        return new RecommenderServerSpec();
    }
}
