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

    @Test
    void aDrainingServerFinishesInFlightRequestsAndClosesKeepAliveConnectionsAfterTheirAnswer() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpShell shell = new HttpShell(vertx, new ServerSettings(0, 4096, 1, 5), Metrics.newRegistry("test"), () -> true);
            shell.router().get("/fast").handler(ctx -> ctx.response().end("fast"));
            shell.router().get("/slow").handler(ctx -> vertx.setTimer(700, id -> ctx.response().end("slow")));
            int port = shell.start(1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            HttpClient client = HttpClient.newHttpClient(); // prefers HTTP/2: would upgrade if the server let it
            URI fast = URI.create("http://127.0.0.1:" + port + "/fast");
            HttpResponse<String> before = client.send(HttpRequest.newBuilder(fast).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(before.version()).as("no h2c upgrade").isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(before.headers().firstValue("connection")).isEmpty();

            var slow = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(200); // the slow request is in flight
            var drained = shell.drainAndStop().toCompletionStage().toCompletableFuture();
            HttpResponse<String> during = client.send(HttpRequest.newBuilder(fast).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(during.statusCode()).isEqualTo(200);
            assertThat(during.headers().firstValue("connection")).hasValue("close");
            assertThat(slow.get(10, TimeUnit.SECONDS).body()).as("the in-flight request finished").isEqualTo("slow");
            drained.get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKeepAliveClientBetweenTwoRequestsIsAnsweredNotCutOff() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpShell shell = new HttpShell(vertx, new ServerSettings(0, 4096, 1, 5), Metrics.newRegistry("test"), () -> true);
            shell.router().get("/fast").handler(ctx -> ctx.response().end("fast"));
            int port = shell.start(1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            HttpClient client = HttpClient.newHttpClient();
            URI fast = URI.create("http://127.0.0.1:" + port + "/fast");
            assertThat(client.send(HttpRequest.newBuilder(fast).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
            // nothing in flight when the drain starts; the client's kept-alive connection is idle
            var drained = shell.drainAndStop().toCompletionStage().toCompletableFuture();
            Thread.sleep(HttpShell.QUIET_MILLIS / 4);
            HttpResponse<String> next = client.send(HttpRequest.newBuilder(fast).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(next.headers().firstValue("connection")).hasValue("close");
            drained.get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
