package io.serendip.runtime.recommender;

import io.serendip.config.ConfigKind;
import io.serendip.config.RecommenderSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.runtime.reload.ConfigWatcher;
import io.serendip.runtime.reload.Generations;
import io.serendip.runtime.server.HttpShell;
import io.serendip.runtime.server.Inference;
import io.serendip.runtime.server.ServerRuntime;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;

/** The recommender server: a sequence recommender, its cluster set and novelty table. */
public final class RecommenderServerSpec implements ServerRuntime.Spec<RecommenderModels> {
    @Override
    public ConfigKind kind() {
        return ConfigKind.RecommenderConfig;
    }

    @Override
    public RecommenderModels load(Vertx vertx, RuntimeConfig config) {
        return RecommenderModels.load(config.recommender());
    }

    @Override
    public List<Path> artifacts(RuntimeConfig config) {
        RecommenderSettings r = config.recommender();
        if (r == null || r.modelDir() == null || r.clustersDir() == null || r.noveltyTable() == null) {
            return List.of();
        }
        return List.of(Path.of(r.modelDir()), Path.of(r.clustersDir()), Path.of(r.noveltyTable()));
    }

    @Override
    public void mount(HttpShell shell, Generations<RecommenderModels> generations, ConfigWatcher<RecommenderModels> watcher) {
        RecommendBatcher batcher = new RecommendBatcher(Inference.defaultThreads(),
                () -> watcher.currentConfig().recommender().maxBatchSize(),
                () -> watcher.currentConfig().recommender().maxBatchDelayMicros() * 1_000L, shell.registry());
        new RecommenderServer(shell, generations, batcher, () -> watcher.currentConfig().server().maxHistory());
    }
}
