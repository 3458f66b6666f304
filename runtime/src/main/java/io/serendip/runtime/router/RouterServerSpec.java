package io.serendip.runtime.router;

import io.serendip.config.ConfigKind;
import io.serendip.config.RuntimeConfig;
import io.serendip.runtime.reload.ConfigWatcher;
import io.serendip.runtime.reload.Generations;
import io.serendip.runtime.server.HttpShell;
import io.serendip.runtime.server.ServerRuntime;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;

/** The router server: no artifacts, only the arms of the config. */
public final class RouterServerSpec implements ServerRuntime.Spec<RouterState> {
    @Override
    public ConfigKind kind() {
        return ConfigKind.RouterConfig;
    }

    @Override
    public RouterState load(Vertx vertx, RuntimeConfig config) {
        return new RouterState(vertx, config);
    }

    @Override
    public List<Path> artifacts(RuntimeConfig config) {
        return List.of();
    }

    /** Users of arms that are not ready go to control, so the router can serve only while control is ready. */
    @Override
    public boolean canServe(RouterState state) {
        return state.control().isReady();
    }

    @Override
    public void mount(HttpShell shell, Generations<RouterState> generations, ConfigWatcher<RouterState> watcher) {
        new RouterServer(shell, generations, new RouterStats(shell.registry()),
                () -> watcher.currentConfig().server().maxHistory());
    }
}
