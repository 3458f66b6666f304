package io.serendip.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.config.RecommenderSettings;
import io.serendip.config.RuntimeConfig;
import io.serendip.config.RuntimeConfigs;
import io.serendip.kube.local.S3Server;
import io.serendip.runtime.storage.ObjectStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The init container's command on a server's config, against a real S3-compatible server (moto's, with auth). */
class StorageInitializerCommandTest {
    private static S3Server server;

    @TempDir
    Path root;

    @BeforeAll
    static void start() {
        server = S3Server.start("127.0.0.1", "artifacts");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(Map.of(
                ObjectStore.URI_ENV, "s3://artifacts/serving",
                ObjectStore.ROOT_ENV, root.toString(),
                "AWS_ENDPOINT_URL", server.endpoint(),
                "AWS_ACCESS_KEY_ID", server.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", server.secretAccessKey()));
        return env;
    }

    private Path serverConfig() throws IOException {
        RuntimeConfig config = RuntimeConfig.recommender(null, new RecommenderSettings(
                root.resolve("recommenders/r/v1").toString(), root.resolve("clusters/c/v1").toString(),
                root.resolve("novelty/m/v2/novelty-table.bin").toString(), null, null, null, null, null));
        return Files.writeString(Files.createTempFile("config-", ".yaml"), RuntimeConfigs.write(config));
    }

    @Test
    void aServersInitializerDownloadsExactlyWhatItsConfigNames() throws IOException {
        for (String file : new String[] {"recommenders/r/v1/manifest.json", "clusters/c/v1/clusters.json",
            "novelty/m/v2/novelty-table.bin", "novelty/m/v2/shards/shard-0.bin", "recommenders/r/v0/manifest.json"}) {
            Path path = root.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, file);
        }
        try (ObjectStore store = ObjectStore.fromEnv(env()).orElseThrow()) {
            for (String dir : new String[] {"recommenders", "clusters", "novelty"}) {
                store.upload(root.resolve(dir).toString());
            }
        }
        Path config = serverConfig();
        for (String dir : new String[] {"recommenders", "clusters", "novelty"}) {
            org.assertj.core.util.Files.delete(root.resolve(dir).toFile());
        }

        StringWriter out = new StringWriter();
        assertThat(StorageInitializerCommand.run(config, env(), new PrintWriter(out), new PrintWriter(new StringWriter())))
                .isZero();
        assertThat(root.resolve("recommenders/r/v1/manifest.json")).hasContent("recommenders/r/v1/manifest.json");
        assertThat(root.resolve("clusters/c/v1/clusters.json")).exists();
        assertThat(root.resolve("novelty/m/v2/novelty-table.bin")).hasContent("novelty/m/v2/novelty-table.bin");
        assertThat(root.resolve("novelty/m/v2/shards")).as("only the table file the config names").doesNotExist();
        assertThat(root.resolve("recommenders/r/v0")).as("another version").doesNotExist();
        assertThat(out.toString()).contains("[storage] downloaded 1 file(s) of " + root.resolve("clusters/c/v1"));
    }

    @Test
    void aStoreThatRefusesExitsOneAndSaysWhyAndNoStoreAtAllIsAUsageError() throws IOException {
        Path config = serverConfig();
        Map<String, String> env = env();
        env.put("AWS_SECRET_ACCESS_KEY", "wrong");
        StringWriter err = new StringWriter();
        assertThat(StorageInitializerCommand.run(config, env, new PrintWriter(new StringWriter()), new PrintWriter(err)))
                .isEqualTo(1);
        assertThat(err.toString()).startsWith("storage-initializer: access to s3://artifacts/serving on "
                + server.endpoint() + " denied (SignatureDoesNotMatch)");

        env.remove(ObjectStore.URI_ENV);
        err = new StringWriter();
        assertThat(StorageInitializerCommand.run(config, env, new PrintWriter(new StringWriter()), new PrintWriter(err)))
                .isEqualTo(2);
        assertThat(err.toString()).contains(ObjectStore.URI_ENV + " is not set");
    }
}
