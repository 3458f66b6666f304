package io.serendip.runtime.router;

import com.google.common.base.Suppliers;
import io.serendip.config.ConfigKind;
import io.serendip.config.FeedbackSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.runtime.reload.ConfigWatcher;
import io.serendip.runtime.reload.Generations;
import io.serendip.runtime.server.HttpShell;
import io.serendip.runtime.server.ServerRuntime;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** The router server: no artifacts, only the arms of the config. */
public final class RouterServerSpec implements ServerRuntime.Spec<RouterState> {
    @Override
    public ConfigKind kind() {
        return ConfigKind.RouterConfig;
    }

    @Override
    public RouterState load(Vertx vertx, RuntimeConfig config) {
        return new RouterState(config);
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

    /**
     * The feedback settings are read once, at start: ids signed with the key stay valid across weight changes, and
     * the replay record is kept whole. A changed key or window takes effect when the router restarts.
     */
    @Override
    public void mount(HttpShell shell, Generations<RouterState> generations, ConfigWatcher<RouterState> watcher) {
        FeedbackSettings feedback = watcher.currentConfig().router().feedback();
        RequestIds ids = new RequestIds(key(feedback));
        long windowMillis = feedback.windowSeconds() * 1000L;
        RouterStats stats = new RouterStats(shell.registry());
        // known once the shell listens (port 0 picks one), asked first when a slate or event is served
        Supplier<String> self = Suppliers.memoize(() -> advertisedHost() + ":" + shell.port());
        FeedbackEndpoint endpoint = new FeedbackEndpoint(shell.vertx(), generations, stats, ids,
                new FeedbackLedger(windowMillis, feedback.expectedPerWindow(), System.currentTimeMillis()),
                windowMillis, self, System::currentTimeMillis, shell.registry());
        new RouterServer(shell, generations, stats, () -> watcher.currentConfig().server().maxHistory(), ids, endpoint,
                self);
    }

    /** The address other replicas reach this one at: the pod's IP (downward API), else loopback (one host). */
    static String advertisedHost() {
        String podIp = System.getenv(FeedbackSettings.POD_IP_ENV);
        if (podIp == null || podIp.isBlank()) {
            return "127.0.0.1";
        }
        return podIp.contains(":") ? "[" + podIp.trim() + "]" : podIp.trim(); // IPv6 in brackets, as in a URL
    }

    private static byte[] key(FeedbackSettings feedback) {
        if (feedback.keyFile() == null) {
            return RequestIds.randomKey();
        }
        Path file = Path.of(feedback.keyFile());
        try {
            byte[] key = Files.readAllBytes(file);
            if (key.length < RequestIds.MIN_KEY_BYTES) {
                throw new IllegalStateException("router.feedback.keyFile " + file + ": at least "
                        + RequestIds.MIN_KEY_BYTES + " bytes are needed (it holds " + key.length + ")");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("router.feedback.keyFile " + file + ": cannot read it", e);
        }
    }
}
