package io.serendip.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ProbeCommandTest {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    HttpServer server;

    int execute(String... args) {
        CommandLine cli = Commands.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "probe";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }

    /** Answers 503 to the first {@code failures} requests, then 200 with a body. */
    String serve(int failures) throws Exception {
        AtomicInteger seen = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/readyz", exchange -> {
            boolean ok = seen.incrementAndGet() > failures;
            byte[] body = (ok ? "{\"ready\":true}" : "{\"ready\":false}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/readyz";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void retriesUntilTheEndpointAnswers2xx() throws Exception {
        String url = serve(2);
        assertThat(execute(url, "--attempts", "5", "--interval", "PT0.05S")).isZero();
        assertThat(err.toString()).contains("attempt 1/5: " + url + " answered 503").contains("attempt 2/5");
        assertThat(out.toString()).contains("answered 200 {\"ready\":true}");
    }

    @Test
    void failsWhenEveryAttemptFails() throws Exception {
        String url = serve(10);
        assertThat(execute(url, "--attempts", "3", "--interval", "PT0.01S")).isEqualTo(1);
        assertThat(err.toString()).contains("attempt 3/3: " + url + " answered 503");
    }

    @Test
    void aRefusedConnectionIsNamed() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThat(execute("http://127.0.0.1:" + port + "/readyz", "--attempts", "1")).isEqualTo(1);
        assertThat(err.toString()).contains("attempt 1/1").contains("ConnectException");
    }

    @Test
    void aUrlThatIsNotHttpIsRefused() {
        assertThat(execute("file:///etc/passwd")).isEqualTo(2);
        assertThat(err.toString()).contains("is not an http(s) URL with a host");
    }
}
