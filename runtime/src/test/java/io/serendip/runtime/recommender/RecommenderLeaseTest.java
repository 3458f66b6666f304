package io.serendip.runtime.recommender;

import static io.serendip.runtime.testing.TinyArtifacts.itemId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.serendip.config.RecommenderSettings;
import io.serendip.config.ServerSettings;
import io.serendip.runtime.reload.Generations;
import io.serendip.runtime.server.HttpShell;
import io.serendip.runtime.server.Metrics;
import io.serendip.runtime.testing.TinyArtifacts;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request keeps its model generation until its slate is computed, even when its client has gone before that. */
class RecommenderLeaseTest {
    /** How long a lone request waits in the batcher for company: the window in which the client leaves. */
    private static final long BATCH_DELAY_MILLIS = 1500;

    @TempDir
    Path dir;
    private Vertx vertx;
    private Generations<RecommenderModels> generations;

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (generations != null) {
            generations.close();
        }
    }

    @Test
    void aHotSwapWhileAGoneClientsRequestWaitsForItsBatchDoesNotCloseItsModels() throws Exception {
        TinyArtifacts artifacts = TinyArtifacts.build(dir);
        RecommenderModels first = load(artifacts);
        generations = new Generations<>();
        generations.swap(first);
        vertx = Vertx.vertx();
        HttpShell shell = new HttpShell(vertx, new ServerSettings(0, 65536, 50, 5), Metrics.newRegistry("test"), () -> true);
        RecommendBatcher batcher = new RecommendBatcher(1, () -> 16,
                () -> TimeUnit.MILLISECONDS.toNanos(BATCH_DELAY_MILLIS), shell.registry());
        new RecommenderServer(shell, generations, batcher, () -> 50);
        int port = shell.start(1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        String body = "{\"history\":[\"" + itemId(1) + "\",\"" + itemId(2) + "\"]}";
        try (Socket client = new Socket("127.0.0.1", port)) {
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(200); // read and queued: the request now waits in the batcher
        } // the client goes away, and the server sees its connection close
        Thread.sleep(200);
        generations.swap(load(artifacts)); // a hot swap: the first generation is closed once no request holds it

        // The gone client's request still holds the first generation, so its model still runs...
        assertThat(first.recommender().encode(new int[] {1, 2})).isNotEmpty();
        // ...until its batch has run (the slate is computed and encoded for nobody), and then it is closed.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThatThrownBy(() -> first.recommender().encode(new int[] {1, 2})).isInstanceOf(RuntimeException.class));
    }

    private static RecommenderModels load(TinyArtifacts artifacts) {
        return RecommenderModels.load(new RecommenderSettings(artifacts.modelDir.toString(),
                artifacts.clustersDir.toString(), artifacts.noveltyTable.toString(), 10, 0.3, null));
    }
}
