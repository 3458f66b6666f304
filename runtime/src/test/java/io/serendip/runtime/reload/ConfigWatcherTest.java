package io.serendip.runtime.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.serendip.config.RecommenderSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.config.ServerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {

    /** An artifact the config names, replaced by a rename as publishers do, is noticed by the next poll. */
    @Test
    void anArtifactReplacedByARenameIsNoticed(@TempDir Path dir) throws Exception {
        Path host = Files.createDirectories(dir.resolve("artifacts"));
        Path table = host.resolve("novelty-table.bin");
        Files.writeString(table, "v1");
        Path configFile = dir.resolve("config.yaml");
        Files.writeString(configFile, RuntimeConfigs.write(RuntimeConfig.recommender(new ServerSettings(0, null, null, 1),
                new RecommenderSettings(host + "/model", host + "/clusters", table.toString(), 10, 0.2, null))));
        List<RuntimeConfig> loaded = new ArrayList<>();
        Generations<AutoCloseable> generations = new Generations<>();
        try (ConfigWatcher<AutoCloseable> watcher = new ConfigWatcher<>(configFile, config -> {
                    loaded.add(config);
                    return () -> { };
                }, config -> List.of(Path.of(config.recommender().noveltyTable())), generations,
                new SimpleMeterRegistry())) {
            watcher.loadInitial();
            assertThat(loaded.get(0).recommender().noveltyTable()).isEqualTo(table.toString());
            assertThat(watcher.checkOnce()).as("nothing changed").isFalse();

            Path staged = host.resolve("novelty-table.bin.staged");
            Files.writeString(staged, "v2");
            Files.setLastModifiedTime(staged, FileTime.from(Instant.now().plusSeconds(5)));
            Files.move(staged, table, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            assertThat(watcher.checkOnce()).as("the replaced table was noticed").isTrue();
            assertThat(loaded).hasSize(2);
            assertThat(watcher.appliedReloads()).isEqualTo(1.0);
        }
    }
}
