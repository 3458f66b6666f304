package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Settings shared by every server process. Missing values take the defaults below. */
public record ServerSettings(
        @JsonPropertyDescription("TCP port the HTTP server listens on; 0 picks a free one (default 8080).")
        Integer port,
        @JsonPropertyDescription("Largest accepted request body in bytes; larger bodies get 413 (default 65536).")
        Integer maxRequestBytes,
        @JsonPropertyDescription("Longest accepted user history in items; longer histories get 400 (default 200).")
        Integer maxHistory,
        @JsonPropertyDescription("Seconds to let in-flight requests finish on shutdown (default 10).")
        Integer drainSeconds) {

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 65_536;
    public static final int DEFAULT_MAX_HISTORY = 200;
    public static final int DEFAULT_DRAIN_SECONDS = 10;

    public ServerSettings {
        port = port == null ? DEFAULT_PORT : port;
        maxRequestBytes = maxRequestBytes == null ? DEFAULT_MAX_REQUEST_BYTES : maxRequestBytes;
        maxHistory = maxHistory == null ? DEFAULT_MAX_HISTORY : maxHistory;
        drainSeconds = drainSeconds == null ? DEFAULT_DRAIN_SECONDS : drainSeconds;
    }

    public static ServerSettings defaults() {
        return new ServerSettings(null, null, null, null);
    }
}
