package io.serendip.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.serendip.config.ServerSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Raw bytes on one connection to the shell's Netty front (a fast route and relayed Vert.x routes behind it): whatever
 * they are, what comes back is nothing or HTTP/1.x answers below 500, and the front keeps serving: a plain
 * request on a new connection after each input is answered 200. {@code bench/fuzz/run.sh} runs it longer.
 */
class FrontServerFuzzTest {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");
    private static Vertx vertx;
    private static int port;
    private static long inputs;
    private static long answered;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        HttpShell shell = new HttpShell(vertx, new ServerSettings(0, 2048, 1, 1), Metrics.newRegistry("fuzz"), () -> true);
        shell.fastRoute(HttpMethod.POST, "/echo", exchange -> {
            byte[] bytes = new JsonObject().put("bytes", exchange.body().readableBytes()).encode()
                    .getBytes(StandardCharsets.UTF_8);
            exchange.json(200, exchange.alloc().buffer(bytes.length).writeBytes(bytes));
        });
        shell.router().post("/relayed").handler(ctx -> Responses.json(ctx, 200,
                new JsonObject().put("bytes", ctx.body().length())));
        port = shell.start(1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        System.out.printf("fuzz target front: %d inputs, %d with at least one answer%n", inputs, answered);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    // CR LF as libFuzzer dictionary escapes: the dictionary file is one quoted entry per line
    @DictionaryEntries({"POST ", "GET ", "HEAD ", " HTTP/1.1\\x0d\\x0a", " HTTP/1.0\\x0d\\x0a", "/echo", "/relayed", "/healthz",
        "Host: x\\x0d\\x0a", "Content-Length: ", "Transfer-Encoding: chunked\\x0d\\x0a", "Expect: 100-continue\\x0d\\x0a",
        "Connection: close\\x0d\\x0a", "Connection: keep-alive\\x0d\\x0a", "\\x0d\\x0a\\x0d\\x0a", "0\\x0d\\x0a\\x0d\\x0a", "{}", "-1", "99999999999"})
    @Timeout(30)
    @FuzzTest(maxDuration = "10s")
    void rawBytesGetWholeAnswersBelow500OrNothing(FuzzedDataProvider data) throws IOException {
        // Jazzer's SSRF detector refuses every connection unless allowed, per fuzzing thread: allow loopback each time
        try (SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections(
                (host, p) -> host.equals("127.0.0.1") || host.equals("localhost"))) {
            check(data.consumeRemainingAsBytes());
        }
    }

    private static void check(byte[] input) throws IOException {
        inputs++;
        String reply = exchange(input);
        Matcher status = STATUS_LINE.matcher(reply);
        int answers = 0;
        while (status.find()) {
            answers++;
            assertThat(Integer.parseInt(status.group(1))).as("an answer to %s", printable(input)).isLessThan(500);
        }
        if (!reply.isEmpty()) {
            assertThat(reply).as("what came back for %s", printable(input)).startsWith("HTTP/1.");
            answered++;
        }
        assertThat(answers == 0).as("bytes that are no answer: %s", reply).isEqualTo(reply.isEmpty());
        String probe = exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(probe).as("the front after %s", printable(input)).startsWith("HTTP/1.1 200 ");
    }

    /** Sends the bytes, says it has no more, and reads until the front closes (or 10 s pass). */
    private static String exchange(byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(bytes);
                socket.shutdownOutput();
            } catch (SocketException e) {
                // the front closed first (it answered and closed before reading everything): read what it sent
            }
            InputStream in = socket.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketException e) {
                return ""; // reset: the front closed with input unread, nothing to check
            }
        }
    }

    private static String printable(byte[] input) {
        return new String(input, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }
}
