package io.serendip.runtime.reload;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload. Polls the config file and the artifacts it names; when their fingerprint changes, the
 * new version is loaded and checked beside the old one and swapped in atomically. A bad config or a
 * corrupt artifact is refused, logged and counted, and the old version keeps serving.
 *
 * <p>Polling (rather than file events) follows Kubernetes ConfigMap updates, which swap a
 * {@code ..data} symlink instead of writing the file: the file is re-read through the link.
 */
public final class ConfigWatcher<T extends AutoCloseable> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    /** Builds a serving generation from a validated config; throws to refuse it. */
    @FunctionalInterface
    public interface Loader<T> {
        T load(RuntimeConfig config) throws Exception;
    }

    private final Path configFile;
    private final Loader<T> loader;
    private final Function<RuntimeConfig, List<Path>> watchedArtifacts;
    private final Generations<T> generations;
    private final Counter reloadsOk;
    private final Counter reloadsRefused;
    private final ScheduledExecutorService poller;
    private volatile String lastFingerprint;
    private volatile RuntimeConfig currentConfig;

    public ConfigWatcher(Path configFile, Loader<T> loader, Function<RuntimeConfig, List<Path>> watchedArtifacts,
            Generations<T> generations, MeterRegistry registry) {
        this.configFile = configFile;
        this.loader = loader;
        this.watchedArtifacts = watchedArtifacts;
        this.generations = generations;
        this.reloadsOk = Counter.builder("serendip.config.reloads").tag("result", "applied")
                .description("Config or artifact reloads applied").register(registry);
        this.reloadsRefused = Counter.builder("serendip.config.reloads").tag("result", "refused")
                .description("Config or artifact reloads refused (bad config or corrupt artifact)").register(registry);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "config-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    /** First load; throws when the initial config or artifacts are unusable (the process should exit). */
    public RuntimeConfig loadInitial() throws Exception {
        // Fingerprint before reading: a change in between is then seen (again) by the next poll.
        String fingerprint = Files.isReadable(configFile) ? fingerprint() : "";
        RuntimeConfig config = readConfig();
        generations.swap(loader.load(config));
        currentConfig = config;
        lastFingerprint = fingerprint;
        LOG.info("loaded config {} (generation {})", configFile, generations.version());
        return config;
    }

    private RuntimeConfig readConfig() {
        return RuntimeConfigs.read(configFile);
    }

    public void startPolling(long intervalMillis) {
        poller.scheduleWithFixedDelay(this::checkOnce, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    public RuntimeConfig currentConfig() {
        return currentConfig;
    }

    public double appliedReloads() {
        return reloadsOk.count();
    }

    public double refusedReloads() {
        return reloadsRefused.count();
    }

    /** One poll: reload when something changed. Returns true when a new generation was swapped in. */
    public synchronized boolean checkOnce() {
        String fingerprint;
        try {
            fingerprint = fingerprint();
        } catch (Exception e) {
            LOG.warn("cannot read config {}: {}", configFile, e.getMessage());
            return false;
        }
        if (fingerprint.equals(lastFingerprint)) {
            return false;
        }
        // Remember the attempt either way: a refused version is not retried until it changes again.
        lastFingerprint = fingerprint;
        try {
            RuntimeConfig config = readConfig();
            T next = loader.load(config);
            generations.swap(next);
            currentConfig = config;
            reloadsOk.increment();
            LOG.info("reloaded config {} (generation {})", configFile, generations.version());
            return true;
        } catch (Exception e) {
            reloadsRefused.increment();
            LOG.error("refused new config or artifacts from {}; keeping generation {}: {}",
                    configFile, generations.version(), e.getMessage());
            return false;
        }
    }

    /** sha256 over the config bytes and each watched artifact's manifest (or size and mtime for a file). */
    private String fingerprint() throws IOException {
        MessageDigest digest = sha256();
        byte[] configBytes = Files.readAllBytes(configFile);
        digest.update(configBytes);
        RuntimeConfig config;
        try {
            config = RuntimeConfigs.parseUnchecked(new String(configBytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return HexFormat.of().formatHex(digest.digest());
        }
        for (Path artifact : watchedArtifacts.apply(config)) {
            digest.update(artifact.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Path manifest = artifact.resolve(io.serendip.config.ArtifactLayout.MANIFEST_FILE);
            if (Files.isRegularFile(manifest)) {
                digest.update(Files.readAllBytes(manifest));
            } else if (Files.exists(artifact)) {
                digest.update(Long.toString(Files.size(artifact)).getBytes());
                digest.update(Files.getLastModifiedTime(artifact).toString().getBytes());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
