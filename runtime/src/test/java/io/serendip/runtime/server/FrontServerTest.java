package io.serendip.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.serendip.config.ServerSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shell's Netty front over raw sockets, on each transport that works here: fast routes and relayed routes on one port and one connection, answers in
 * request order (pipelined, asynchronous), bodies gathered whole (chunked, after 100-continue), and the JSON errors
 * of requests that never reach a route.
 */
class FrontServerTest {
    Vertx vertx;
    HttpShell shell;
    int port;

    /** Every transport that works on this machine. */
    static List<NettyTransport> transports() {
        List<NettyTransport> working = new ArrayList<>();
        if (IoUring.isAvailable()) {
            working.add(NettyTransport.IO_URING);
        }
        if (Epoll.isAvailable()) {
            working.add(NettyTransport.EPOLL);
        }
        working.add(NettyTransport.NIO);
        return working;
    }

    void start(NettyTransport transport) throws Exception {
        vertx = Vertx.vertx();
        shell = new HttpShell(vertx, new ServerSettings(0, 1024, 1, 5), Metrics.newRegistry("test"), () -> true);
        shell.frontTransport(transport);
        // answers at once with what it read: the body's length and a request header
        shell.fastRoute(HttpMethod.POST, "/echo", exchange -> exchange.json(200, json(exchange,
                new JsonObject().put("bytes", exchange.body().readableBytes()).put("tag", exchange.header("X-Tag")))
                , "X-Route", "echo"));
        // answers later, on its event loop, as the router does when its backend answers
        shell.fastRoute(HttpMethod.POST, "/later", exchange -> exchange.eventLoop().schedule(
                () -> exchange.json(200, json(exchange, new JsonObject().put("later", exchange.header("X-Tag")))),
                50, TimeUnit.MILLISECONDS));
        shell.fastRoute(HttpMethod.POST, "/refuse", exchange -> {
            throw ApiException.badRequest("user: is required");
        });
        // fails later, off the event loop, as the recommender's batcher does: wrapped or not, an ApiException keeps its
        // status and anything else is a 500, each in the one error shape
        shell.fastRoute(HttpMethod.POST, "/fail-later", exchange -> CompletableFuture.supplyAsync(() -> {
            switch (exchange.header("X-Tag")) {
                case "busy" -> throw ApiException.unavailable("too many requests waiting");
                default -> throw new IllegalStateException("a bug");
            }
        }).whenComplete((v, failure) -> exchange.eventLoop().execute(() -> exchange.fail(failure))));
        shell.router().get("/thread").handler(ctx -> ctx.response().end(Thread.currentThread().getName()));
        port = shell.start(1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    static ByteBuf json(FastExchange exchange, JsonObject json) {
        byte[] bytes = json.encode().getBytes(StandardCharsets.UTF_8);
        return exchange.alloc().buffer(bytes.length).writeBytes(bytes);
    }

    static String post(String path, String tag, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nX-Tag: " + tag + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @ParameterizedTest
    @MethodSource("transports")
    void fastAndRelayedRequestsPipelinedOnOneConnectionAreAnsweredInOrder(NettyTransport transport) throws Exception {
        start(transport);
        try (Conn conn = new Conn(port)) {
            conn.write(post("/later", "first", "{}") + "GET /thread HTTP/1.1\r\nHost: x\r\n\r\n"
                    + post("/echo", "third", "{\"a\":1}") + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                    + post("/later", "fifth", ""));
            Reply first = conn.read();
            assertThat(first.status).isEqualTo(200);
            assertThat(first.json().getString("later")).isEqualTo("first");
            Reply second = conn.read();
            assertThat(second.status).isEqualTo(200);
            assertThat(second.body).as("a Vert.x route, relayed").startsWith("vert.x-eventloop-thread-");
            Reply third = conn.read();
            assertThat(third.json()).isEqualTo(new JsonObject().put("bytes", 7).put("tag", "third"));
            assertThat(third.headers).containsEntry("x-route", "echo").containsEntry("content-type", "application/json");
            assertThat(conn.read().json().getString("status")).isEqualTo("ok");
            assertThat(conn.read().json().getString("later")).isEqualTo("fifth");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aChunkedBodyIsGatheredWholeAndA100ContinueIsAnswered(NettyTransport transport) throws Exception {
        start(transport);
        try (Conn conn = new Conn(port)) {
            conn.write("POST /echo HTTP/1.1\r\nHost: x\r\nX-Tag: c\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\n{\"a\r\n5\r\n\":12}\r\n0\r\n\r\n");
            assertThat(conn.read().json().getInteger("bytes")).isEqualTo(8);

            conn.write("POST /echo HTTP/1.1\r\nHost: x\r\nX-Tag: e\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
            assertThat(conn.read().status).isEqualTo(100);
            conn.write("{}");
            assertThat(conn.read().json().getInteger("bytes")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void requestsThatReachNoRouteGetTheOneJsonErrorShape(NettyTransport transport) throws Exception {
        start(transport);
        try (Conn conn = new Conn(port)) {
            conn.write(post("/refuse", "r", "{}"));
            Reply refused = conn.read();
            assertThat(refused.status).isEqualTo(400);
            assertThat(refused.json()).isEqualTo(new JsonObject().put("error", "bad_request")
                    .put("message", "user: is required"));
            conn.write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
            Reply wrongMethod = conn.read();
            assertThat(wrongMethod.status).isEqualTo(405);
            assertThat(wrongMethod.json().getString("error")).isEqualTo("method_not_allowed");
            conn.write("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(conn.read().json().getString("error")).isEqualTo("not_found");
            conn.write(post("/fail-later", "busy", "{}"));
            Reply busy = conn.read();
            assertThat(busy.status).isEqualTo(503);
            assertThat(busy.json()).isEqualTo(new JsonObject().put("error", "unavailable")
                    .put("message", "too many requests waiting"));
            conn.write(post("/fail-later", "bug", "{}"));
            Reply bug = conn.read();
            assertThat(bug.status).isEqualTo(500);
            assertThat(bug.json()).isEqualTo(new JsonObject().put("error", "internal").put("message", "internal error"));
        }
        try (Conn conn = new Conn(port)) {
            conn.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n");
            Reply tooLarge = conn.read();
            assertThat(tooLarge.status).isEqualTo(413);
            assertThat(tooLarge.json().getString("message")).isEqualTo("request body: larger than 1024 bytes");
            assertThat(tooLarge.headers).containsEntry("connection", "close");
            assertThat(conn.closed()).isTrue();
        }
        try (Conn conn = new Conn(port)) {
            conn.write("BLAH\u0001 / HTTP/9\r\n\r\n");
            Reply malformed = conn.read();
            assertThat(malformed.status).isEqualTo(400);
            assertThat(malformed.json().getString("error")).isEqualTo("bad_request");
            assertThat(conn.closed()).isTrue();
        }
        try (Conn conn = new Conn(port)) {
            conn.write("POST /echo HTTP/2.0\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
            Reply otherVersion = conn.read();
            assertThat(otherVersion.status).isEqualTo(400);
            assertThat(otherVersion.json().getString("message"))
                    .isEqualTo("malformed HTTP request: HTTP/2.0 is not served here (HTTP/1.1 and HTTP/1.0 are)");
            assertThat(conn.closed()).isTrue();
        }
        try (Conn conn = new Conn(port)) {
            conn.write("GET /" + "x".repeat(FrontServer.MAX_INITIAL_LINE) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(conn.read().status).isEqualTo(414);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void http10AndConnectionCloseGetTheirConnectionClosedAfterTheAnswer(NettyTransport transport) throws Exception {
        start(transport);
        try (Conn conn = new Conn(port)) {
            conn.write("POST /echo HTTP/1.0\r\nX-Tag: old\r\nContent-Length: 2\r\n\r\n{}");
            Reply reply = conn.read();
            assertThat(reply.json().getString("tag")).isEqualTo("old");
            assertThat(reply.headers).containsEntry("connection", "close");
            assertThat(conn.closed()).isTrue();
        }
        try (Conn conn = new Conn(port)) {
            conn.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(conn.read().status).isEqualTo(200);
            assertThat(conn.closed()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void whileDrainingFastAndRelayedAnswersCloseTheirConnectionAndInFlightOnesFinish(NettyTransport transport) throws Exception {
        start(transport);
        try (Conn before = new Conn(port); Conn during = new Conn(port)) {
            before.write(post("/later", "in-flight", "{}"));
            Thread.sleep(10);
            var drained = shell.drainAndStop().toCompletionStage().toCompletableFuture();
            Reply finished = before.read();
            assertThat(finished.json().getString("later")).isEqualTo("in-flight");
            during.write(post("/echo", "d", "{}"));
            assertThat(during.read().headers).containsEntry("connection", "close");
            assertThat(during.closed()).isTrue();
            drained.get(30, TimeUnit.SECONDS);
        }
    }

    /** A raw HTTP/1.1 client connection: writes bytes, reads answers framed by Content-Length. */
    static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Conn(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        Reply read() throws IOException {
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        /** Whether the server closed the connection (end of stream before any further byte). */
        boolean closed() throws IOException {
            return in.read() == -1;
        }

        private String line() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b == -1) {
                    throw new IOException("connection closed mid-answer");
                }
                if (b != '\r') {
                    bytes.write(b);
                }
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Reply(int status, Map<String, String> headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }
}
