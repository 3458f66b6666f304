package io.serendip.runtime.server;

/** HTTP headers between the router and the arms' recommenders, and towards clients. */
public final class ServingHeaders {
    private ServingHeaders() {
    }

    /**
     * Router to recommender: the serving arm's exploration share (0..1). It takes the place of the body's
     * {@code exploration} field, so the router can forward a client's body byte for byte.
     */
    public static final String EXPLORATION = "X-Serendip-Exploration";

    /** Router to client: the arm that served the request. */
    public static final String ARM = "X-Serendip-Arm";
}
