package io.serendip.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class TrafficCommandTest {
    @Test
    void aConnectionClosedByTheServerIsReportedWithItsTypesNotAsNull() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getInputStream().read(); // a request started arriving; hang up without an answer
                } catch (IOException ignored) {
                    // the test's client sees the effect
                }
            });
            closer.start();
            Throwable failure = catchThrowable(() -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/recommend"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            closer.join();
            assertThat(failure).isInstanceOf(IOException.class);
            String reported = TrafficCommand.cause(failure);
            assertThat(reported).startsWith(failure.getClass().getSimpleName()).doesNotContain("null");
        }
        assertThat(TrafficCommand.cause(new IOException(null, new java.net.ConnectException("Connection refused"))))
                .isEqualTo("IOException <- ConnectException: Connection refused");
    }
}
