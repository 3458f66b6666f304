package io.serendip.runtime.router;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.serendip.config.ArmSettings;
import io.serendip.config.RouterSettings;
import io.serendip.runtime.server.NettyTransport;
import io.serendip.runtime.server.ServingHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * One arm's backend: keep-alive HTTP/1.1 connections per event loop (so a request and its backend call stay on one
 * thread), timeouts, and a circuit breaker. The request head is built once per config; a request writes that head,
 * its length and the client's body bytes as they came.
 */
final class ArmBackend implements AutoCloseable {
    static final String RECOMMEND = "/v1/recommend";
    /** Pooled connections per event loop, as many as the arm's concurrent requests on that loop up to this. */
    static final int MAX_CONNECTIONS_PER_LOOP = 64;
    /** A larger answer fails the call: a recommend slate is a few kilobytes. */
    static final int MAX_ANSWER_BYTES = 16 << 20;

    /** What a call ends with, on the event loop it was made on. */
    interface Listener {
        /**
         * An answer below 500: its status, body (valid during this call only; retain what is kept) and its
         * {@link ServingHeaders#SLATE} header (null when absent).
         */
        void answered(int status, ByteBuf body, String slate);

        /** Connect error, timeout, a 5xx answer or an open breaker. */
        void failed(String reason);
    }

    private final ArmSettings arm;
    private final String host;
    private final int port;
    private final SslContext tls;
    private final int connectMillis;
    private final int requestMillis;
    private final byte[] requestHead;
    private final CircuitBreaker breaker;
    private final Map<EventLoop, ArmConnections> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ArmBackend(ArmSettings arm, RouterSettings router) {
        this.arm = arm;
        URI base = URI.create(arm.backend());
        boolean https = "https".equalsIgnoreCase(base.getScheme());
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : https ? 443 : 80;
        this.tls = https ? clientTls() : null;
        String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        this.connectMillis = router.timeouts().connectMillis();
        this.requestMillis = router.timeouts().requestMillis();
        this.requestHead = ("POST " + prefix + RECOMMEND + " HTTP/1.1\r\n"
                + "Host: " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "\r\n"
                + "Content-Type: application/json\r\n"
                + "User-Agent: serendip-router\r\n"
                + ServingHeaders.EXPLORATION + ": " + arm.explorationShare() + "\r\n"
                + ServingHeaders.ARM + ": " + arm.name() + "\r\n"
                + "Content-Length: ").getBytes(StandardCharsets.ISO_8859_1);
        this.breaker = new CircuitBreaker(router.circuitBreaker().failureThreshold(),
                router.circuitBreaker().openMillis(), System::nanoTime);
    }

    private static SslContext clientTls() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS client context: " + e.getMessage(), e);
        }
    }

    ArmSettings arm() {
        return arm;
    }

    /**
     * POSTs a recommend body (not consumed: the call takes its own reference) on the caller's event loop (whose
     * transport the connections share), with the
     * arm's exploration share in a header. A 4xx answer is an answer (the client's bad input, passed through).
     */
    void recommend(EventLoop loop, NettyTransport transport, ByteBuf body, Listener listener) {
        if (!breaker.tryAcquire()) {
            listener.failed("circuit breaker of arm " + arm.name() + " is open");
            return;
        }
        ArmConnections pool = pools.get(loop); // get first: computeIfAbsent's capturing lambda would allocate per call
        if (pool == null) {
            pool = pools.computeIfAbsent(loop, l -> new ArmConnections(this, l, transport));
        }
        pool.send(body.retainedDuplicate(), listener);
    }

    /** Writes the request head for a body of {@code length} bytes. */
    void writeHead(ByteBuf out, int length) {
        out.writeBytes(requestHead);
        out.writeCharSequence(Integer.toString(length), StandardCharsets.US_ASCII);
        out.writeCharSequence("\r\n\r\n", StandardCharsets.US_ASCII);
    }

    /** A call's end, through the breaker: 5xx answers count as failures, like connect errors and timeouts. */
    void answered(Listener listener, int status, ByteBuf body, String slate) {
        if (status >= 500) {
            failed(listener, "arm " + arm.name() + " answered " + status);
            return;
        }
        breaker.onSuccess();
        listener.answered(status, body, slate);
    }

    void failed(Listener listener, String reason) {
        breaker.onFailure();
        listener.failed(reason);
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    SslContext tls() {
        return tls;
    }

    int connectMillis() {
        return connectMillis;
    }

    int requestMillis() {
        return requestMillis;
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes idle connections; busy ones close when their call ends. */
    @Override
    public void close() {
        closed = true;
        pools.values().forEach(ArmConnections::close);
    }
}
