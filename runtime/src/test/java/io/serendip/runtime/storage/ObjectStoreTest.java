package io.serendip.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.config.ArtifactCleanupSettings;
import io.serendip.config.ArtifactTransfers;
import io.serendip.config.InterestModelTrainingSettings;
import io.serendip.config.JobConfig;
import io.serendip.kube.local.S3Server;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** Against a real S3-compatible server with authentication on (moto's server, started here). */
class ObjectStoreTest {
    private static S3Server server;

    @TempDir
    Path root;

    @BeforeAll
    static void startServer() {
        server = S3Server.start("127.0.0.1", "artifacts");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private Map<String, String> env(String uri) {
        Map<String, String> env = new HashMap<>();
        env.put(ObjectStore.URI_ENV, uri);
        env.put(ObjectStore.ROOT_ENV, root.toString());
        env.put("AWS_ENDPOINT_URL", server.endpoint());
        env.put("AWS_REGION", server.region());
        env.put("AWS_ACCESS_KEY_ID", server.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", server.secretAccessKey());
        return env;
    }

    private ObjectStore store(String uri) {
        return ObjectStore.fromEnv(env(uri)).orElseThrow();
    }

    private Path write(String relative, byte[] bytes) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    @Test
    void aDirectoryComesBackByteForByte() throws IOException {
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        write("clusters/c/v1/manifest.json", "{}".getBytes(StandardCharsets.UTF_8));
        write("clusters/c/v1/dataset/items.bin", big);
        write("clusters/c/v10/other.txt", "a sibling whose name starts alike".getBytes(StandardCharsets.UTF_8));
        String dir = root.resolve("clusters/c/v1").toString();
        try (ObjectStore store = store("s3://artifacts/team-a")) {
            assertThat(store.upload(dir)).isEqualTo(2);
            store.upload(root.resolve("clusters/c/v10").toString());
            deleteTree(root.resolve("clusters"));

            assertThat(store.download(dir, true)).isEqualTo(2);
            assertThat(Files.readAllBytes(root.resolve("clusters/c/v1/dataset/items.bin"))).isEqualTo(big);
            assertThat(root.resolve("clusters/c/v10")).doesNotExist();

            assertThat(store.delete(dir)).isEqualTo(2);
            assertThat(store.download(dir, false)).isZero();
            assertThat(store.download(root.resolve("clusters/c/v10").toString(), true)).isEqualTo(1);
        }
    }

    @Test
    void aCleanupJobRemovesTheRetiredVersionFromTheStoreAndNothingElse() throws IOException {
        write("novelty/m/v0/novelty-table.bin", "old".getBytes(StandardCharsets.UTF_8));
        write("novelty/m/v1/novelty-table.bin", "serving".getBytes(StandardCharsets.UTF_8));
        JobConfig cleanup = JobConfig.artifactCleanup(new ArtifactCleanupSettings(root.toString(),
                List.of(root.resolve("novelty/m/v0").toString())));
        StringWriter log = new StringWriter();
        try (ObjectStore store = store("s3://artifacts/cleanup")) {
            store.upload(root.resolve("novelty/m/v0").toString());
            store.upload(root.resolve("novelty/m/v1").toString());
            try (ArtifactSync sync = new ArtifactSync(store("s3://artifacts/cleanup"),
                    ArtifactTransfers.of(cleanup, root.toString()), new PrintWriter(log))) {
                sync.deleteRetired();
            }
            deleteTree(root.resolve("novelty"));
            assertThat(store.download(root.resolve("novelty/m/v0").toString(), false)).isZero();
            assertThat(store.download(root.resolve("novelty/m/v1").toString(), true)).isEqualTo(1);
        }
        assertThat(log.toString()).contains("deleted 1 object(s) of " + root.resolve("novelty/m/v0"));
    }

    @Test
    void anObjectWhoseBytesDoNotMatchItsDigestIsRefusedAndLeavesNoFile() throws IOException {
        Path table = write("novelty/m/v4/novelty-table.bin", "the table".getBytes(StandardCharsets.UTF_8));
        try (ObjectStore store = store("s3://artifacts/corrupt")) {
            store.upload(table.toString());
            // the store now holds other bytes under the digest recorded for the original ones
            String digest = storeClient().headObject(r -> r.bucket("artifacts").key("corrupt/novelty/m/v4/novelty-table.bin"))
                    .metadata().get("sha256");
            storeClient().putObject(r -> r.bucket("artifacts").key("corrupt/novelty/m/v4/novelty-table.bin")
                    .metadata(Map.of("sha256", digest)), RequestBody.fromString("the tablE"));
            Files.delete(table);

            assertThatThrownBy(() -> store.download(table.toString(), true))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("refusing s3://artifacts/corrupt/novelty/m/v4/novelty-table.bin")
                    .hasMessageContaining("uploaded with " + digest);
            try (var left = Files.list(table.getParent())) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void wrongCredentialsAMissingBucketAndAMissingArtifactAreNamed() {
        String input = root.resolve("clusters/c/v1").toString();
        Map<String, String> wrongSecret = env("s3://artifacts/x");
        wrongSecret.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");
        try (ObjectStore store = ObjectStore.fromEnv(wrongSecret).orElseThrow()) {
            assertThatThrownBy(() -> store.download(input, true)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("access to s3://artifacts/x on " + server.endpoint() + " denied")
                    .hasMessageContaining("SignatureDoesNotMatch")
                    .hasMessageContaining("check the access key in the storage Secret");
        }
        Map<String, String> unknownKey = env("s3://artifacts/x");
        unknownKey.put("AWS_ACCESS_KEY_ID", "AKIAUNKNOWN0000000000");
        try (ObjectStore store = ObjectStore.fromEnv(unknownKey).orElseThrow()) {
            assertThatThrownBy(() -> store.download(input, true)).hasMessageContaining("InvalidAccessKeyId");
        }
        try (ObjectStore store = store("s3://no-such-bucket/x")) {
            assertThatThrownBy(() -> store.download(input, true))
                    .hasMessage("bucket no-such-bucket does not exist on " + server.endpoint());
        }
        try (ObjectStore store = store("s3://artifacts/x")) {
            assertThatThrownBy(() -> store.download(input, true))
                    .hasMessageStartingWith("no artifact at s3://artifacts/x/clusters/c/v1 (on " + server.endpoint());
        }
    }

    @Test
    void anUnreachableEndpointIsNamed() {
        Map<String, String> env = env("s3://artifacts/x");
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        try (ObjectStore store = ObjectStore.fromEnv(env).orElseThrow()) {
            assertThatThrownBy(() -> store.download(root.resolve("a").toString(), true))
                    .hasMessageStartingWith("cannot reach the object store at http://127.0.0.1:9");
        }
    }

    @Test
    void aTrainingPodGetsItsInputsAndCheckpointAndLeavesItsOutputBehind() throws IOException {
        String clusters = root.resolve("clusters/c/v1").toString();
        String output = root.resolve("interest/m/v2").toString();
        JobConfig job = JobConfig.interestModelTraining(new InterestModelTrainingSettings(clusters, output,
                InterestModelTrainingSettings.Method.FromScratch, null, null, null, null, 32, 1, 2, 3, 16, 0.01, 1L,
                100));
        ArtifactTransfers transfers = ArtifactTransfers.of(job, root.toString());
        Path checkpoint = Path.of(transfers.checkpoints().get(0));
        StringWriter log = new StringWriter();
        try (ObjectStore store = store("s3://artifacts/pods")) {
            write("clusters/c/v1/clusters.json", "[]".getBytes(StandardCharsets.UTF_8));
            store.upload(clusters);
            deleteTree(root.resolve("clusters"));

            // the first pod: inputs downloaded, stopped by SIGTERM (exit 143) with a checkpoint
            ArtifactSync first = new ArtifactSync(store("s3://artifacts/pods"), transfers, new PrintWriter(log));
            first.downloadInputs();
            assertThat(root.resolve("clusters/c/v1/clusters.json")).hasContent("[]");
            write(root.relativize(checkpoint).toString(), "epoch 3".getBytes(StandardCharsets.UTF_8));
            first.finish(143);
            first.close();
            deleteTree(root.resolve("clusters"));
            Files.delete(checkpoint);

            // the next pod, on another node: its initializer brings the checkpoint; it publishes and drops it
            ArtifactSync next = new ArtifactSync(store("s3://artifacts/pods"), transfers, new PrintWriter(log));
            next.downloadInputs();
            assertThat(checkpoint).hasContent("epoch 3");
            Files.delete(checkpoint);
            write("interest/m/v2/manifest.json", "{\"kind\":\"InterestModel\"}".getBytes(StandardCharsets.UTF_8));
            next.finish(0);
            next.close();

            deleteTree(root.resolve("interest"));
            assertThat(store.download(output, true)).isEqualTo(1);
            assertThat(store.download(checkpoint.toString(), false)).isZero();
        }
        assertThat(log.toString()).contains("uploaded checkpoint " + checkpoint, "removed checkpoint " + checkpoint,
                "uploaded 1 file(s) of " + output);
    }

    @Test
    void aPathOutsideTheArtifactRootIsNeverMapped() {
        try (ObjectStore store = store("s3://artifacts/x")) {
            assertThatThrownBy(() -> store.delete(root.resolve("../etc").toString()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> S3Location.parse("s3://Bad_Bucket/x")).hasMessageContaining("not a valid bucket name");
        assertThat(S3Location.parse("s3://b-1/p/q/").keyOf("/artifacts", "/artifacts/a/b")).isEqualTo("p/q/a/b");
        assertThat(S3Location.parse("s3://b-1").keyOf("/artifacts", "/artifacts/a")).isEqualTo("a");
    }

    private static software.amazon.awssdk.services.s3.S3Client storeClient() {
        return software.amazon.awssdk.services.s3.S3Client.builder()
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .region(software.amazon.awssdk.regions.Region.of(server.region()))
                .endpointOverride(java.net.URI.create(server.endpoint())).forcePathStyle(true)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(server.accessKeyId(),
                                server.secretAccessKey())))
                .build();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
