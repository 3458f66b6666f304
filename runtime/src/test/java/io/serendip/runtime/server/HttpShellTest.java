package io.serendip.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.config.ServerSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpShellTest {
    @Test
    void connectionsAreSpreadOverAsManyEventLoopsAsServersOnOnePort() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
        try {
            HttpShell shell = new HttpShell(vertx, new ServerSettings(0, 4096, 1, 1), Metrics.newRegistry("test"), () -> true);
            shell.router().get("/thread").handler(ctx -> ctx.response().end(Thread.currentThread().getName()));
            int port = shell.start(3).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(shell.port()).isEqualTo(port).isPositive();

            Set<String> threads = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                // A client of its own per request: a new connection, which Vert.x hands to the next server.
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpResponse<String> reply = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/thread"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(reply.statusCode()).isEqualTo(200);
                threads.add(reply.body());
            }
            assertThat(threads).as("event-loop threads that served the connections")
                    .hasSize(3).allMatch(name -> name.startsWith("vert.x-eventloop-thread-"));

            shell.drainAndStop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            HttpClient client = HttpClient.newHttpClient();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/thread")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()))).as("every server closed").isInstanceOf(java.net.ConnectException.class);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
