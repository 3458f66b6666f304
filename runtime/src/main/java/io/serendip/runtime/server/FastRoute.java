package io.serendip.runtime.server;

/**
 * A route the shell's front serves on its own Netty event loop, without Vert.x's per-request HTTP objects: for an
 * endpoint whose cost is mostly HTTP framing (the router's pass-through). It gets the whole request body and answers
 * exactly once through {@link FastExchange}; an {@link ApiException} thrown before it answers becomes the JSON error.
 */
@FunctionalInterface
public interface FastRoute {
    void handle(FastExchange exchange);
}
