package io.serendip.runtime.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on a {@link FastRoute}: its headers, its whole body, the event loop it is served on, and the one answer.
 * Everything happens on that event loop. The body is released when the exchange ends; a route that keeps bytes past
 * its answer retains them.
 */
public final class FastExchange {
    private static final Logger LOG = LoggerFactory.getLogger(FastExchange.class);
    private final FrontHandler connection;
    private final HttpRequest request;
    private final ByteBuf body;
    private AutoCloseable onEnd;
    private boolean answered;

    FastExchange(FrontHandler connection, HttpRequest request, ByteBuf body) {
        this.connection = connection;
        this.request = request;
        this.body = body;
    }

    /** A request header, or null. */
    public String header(String name) {
        return request.headers().get(name);
    }

    public ByteBuf body() {
        return body;
    }

    public EventLoop eventLoop() {
        return connection.eventLoop();
    }

    /** The transport of {@link #eventLoop()}: channels opened on that loop must be of its kind. */
    public NettyTransport transport() {
        return connection.transport();
    }

    public ByteBufAllocator alloc() {
        return connection.alloc();
    }

    /** Closed when the exchange ends, answered or not (a lease on what served it). */
    public void onEnd(AutoCloseable resource) {
        this.onEnd = resource;
    }

    /**
     * Answers with a JSON body (released once written) and the given extra headers as name, value pairs; a second
     * answer is ignored (its body released).
     */
    public void json(int status, ByteBuf json, String... headers) {
        if (answered) {
            json.release();
            return;
        }
        answered = true;
        connection.answer(this, status, json, headers);
    }

    /** The one error shape, {@code {"error": code, "message": text}}. */
    public void error(int status, String code, String message, String... headers) {
        byte[] bytes = new JsonObject().put("error", code).put("message", message).encode()
                .getBytes(StandardCharsets.UTF_8);
        json(status, connection.alloc().buffer(bytes.length).writeBytes(bytes), headers);
    }

    /**
     * Answers with the JSON error for a failure: an {@link ApiException}'s own status and code (also when it is the
     * cause of a {@link CompletionException}), else 500, logged.
     */
    public void fail(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof ApiException api) {
            error(api.status(), api.code(), api.getMessage());
        } else {
            LOG.error("request {} {} failed", request.method(), request.uri(), cause);
            error(500, "internal", "internal error");
        }
    }

    /** Called by the connection once the answer is written or the client is gone. */
    void end() {
        body.release();
        if (onEnd != null) {
            try {
                onEnd.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
