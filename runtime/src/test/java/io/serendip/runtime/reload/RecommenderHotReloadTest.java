package io.serendip.runtime.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.serendip.config.RecommenderSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.config.ServerSettings;
import io.serendip.runtime.recommender.RecommenderModels;
import io.serendip.runtime.recommender.RecommenderServerSpec;
import io.serendip.runtime.server.ServerRuntime;
import io.serendip.runtime.testing.Http;
import io.serendip.runtime.testing.TinyArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model and table hot swap under load: corrupt artifacts are refused, good ones swapped in, no request fails. */
class RecommenderHotReloadTest {
    @TempDir
    Path dir;

    static String config(Path model, Path clusters, Path table) {
        return RuntimeConfigs.write(RuntimeConfig.recommender(new ServerSettings(0, null, null, 1),
                new RecommenderSettings(model.toString(), clusters.toString(), table.toString(), 10, 0.3, null)));
    }

    static void copyDir(Path from, Path to, boolean manifestLast) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().equals("manifest.json")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (manifestLast) {
            Path tmp = to.resolve("manifest.json.tmp");
            Files.copy(from.resolve("manifest.json"), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, to.resolve("manifest.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void swapsModelsUnderLoadAndRefusesCorruptArtifacts() throws Exception {
        TinyArtifacts artifacts = TinyArtifacts.build(dir.resolve("v1"));
        Path live = dir.resolve("live-model");
        copyDir(artifacts.modelDir, live, true);
        Path configFile = dir.resolve("config.yaml");
        Files.writeString(configFile, config(live, artifacts.clustersDir, artifacts.noveltyTable));
        Path retrained = dir.resolve("v2-model");
        TinyArtifacts.trainModel(retrained, 99);

        ServerRuntime<RecommenderModels> server = ServerRuntime.start(configFile, new RecommenderServerSpec(), 50);
        try {
            Http http = new Http(server.port());
            String request = "{\"user\":\"u\",\"history\":[\"m100\",\"m107\",\"m114\"],\"k\":10}";
            assertThat(http.post("/v1/recommend", request).status()).isEqualTo(200);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Thread[] clients = new Thread[2];
            for (int t = 0; t < clients.length; t++) {
                clients[t] = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            Http.Reply reply = http.post("/v1/recommend", request);
                            if (reply.status() == 200 && reply.json().getJsonArray("items").size() == 10) {
                                ok.incrementAndGet();
                            } else {
                                failures.add(reply.status() + " " + reply.body());
                            }
                        } catch (RuntimeException e) {
                            failures.add(e + " caused by " + e.getCause());
                        }
                    }
                });
                clients[t].start();
            }

            // 1. A corrupt novelty table (one flipped byte) is refused.
            Path corrupt = dir.resolve("corrupt.bin");
            byte[] bytes = Files.readAllBytes(artifacts.noveltyTable);
            bytes[bytes.length - 3] ^= 0x5A;
            Files.write(corrupt, bytes);
            Files.writeString(configFile, config(live, artifacts.clustersDir, corrupt));
            await().atMost(Duration.ofSeconds(20)).until(() -> server.watcher().refusedReloads() >= 1.0);

            // 2. Back to the good table, with a retrained model written into the live directory (manifest last).
            Files.writeString(configFile, config(live, artifacts.clustersDir, artifacts.noveltyTable));
            copyDir(retrained, live, true);
            // The poller may have seen intermediate states (new config with the old model, a half-copied
            // model); one synchronous check after the copy guarantees the final state has been processed.
            server.watcher().checkOnce();
            assertThat(server.watcher().appliedReloads()).isGreaterThanOrEqualTo(1.0);
            int version = server.generations().version();
            double refusedBefore = server.watcher().refusedReloads();

            // 3. A manifest whose digest does not match its file is refused.
            String manifest = Files.readString(live.resolve("manifest.json"));
            String tampered = manifest.replaceFirst("\"([0-9a-f]{64})\"", "\"" + "0".repeat(64) + "\"");
            assertThat(tampered).isNotEqualTo(manifest);
            Files.writeString(live.resolve("manifest.json"), tampered);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.watcher().refusedReloads() > refusedBefore);
            Thread.sleep(300);

            stop.set(true);
            for (Thread client : clients) {
                client.join();
            }
            assertThat(failures).isEmpty();
            assertThat(ok.get()).isGreaterThan(10);
            assertThat(server.generations().version()).isEqualTo(version);
            assertThat(http.post("/v1/recommend", request).status()).isEqualTo(200);
            assertThat(http.get("/readyz").status()).isEqualTo(200);
        } finally {
            server.close();
        }
    }
}
