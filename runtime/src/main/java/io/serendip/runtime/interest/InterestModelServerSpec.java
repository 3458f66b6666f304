package io.serendip.runtime.interest;

import io.serendip.config.ConfigKind;
import io.serendip.config.InterestModelSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.runtime.reload.ConfigWatcher;
import io.serendip.runtime.reload.Generations;
import io.serendip.runtime.server.HttpShell;
import io.serendip.runtime.server.Inference;
import io.serendip.runtime.server.ServerRuntime;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;

/** The interest-model server: the novel-interest language model and its cluster set. */
public final class InterestModelServerSpec implements ServerRuntime.Spec<InterestModels> {
    @Override
    public ConfigKind kind() {
        return ConfigKind.InterestModelConfig;
    }

    @Override
    public InterestModels load(Vertx vertx, RuntimeConfig config) {
        return InterestModels.load(config.interestModel());
    }

    @Override
    public List<Path> artifacts(RuntimeConfig config) {
        InterestModelSettings m = config.interestModel();
        if (m == null || m.modelDir() == null || m.clustersDir() == null) {
            return List.of();
        }
        return List.of(Path.of(m.modelDir()), Path.of(m.clustersDir()));
    }

    @Override
    public void mount(HttpShell shell, Generations<InterestModels> generations, ConfigWatcher<InterestModels> watcher) {
        new InterestServer(shell, new Inference<>(shell, generations, "interest-inference", Inference.defaultThreads()),
                () -> watcher.currentConfig().server().maxHistory());
    }
}
