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

    /**
     * Router to client: the arm that served the request. Router to recommender: the arm the request is served for
     * (the recommender's request meters carry it as a tag).
     */
    public static final String ARM = "X-Serendip-Arm";

    /** Recommender to router: the answer's {@link SlateCounts} (items shown, explored, novel explored). */
    public static final String SLATE = "X-Serendip-Slate";

    /**
     * Router to client: the signed id of the served slate (also the answer's {@code requestId}); feedback names it.
     * Router to router: absent. See {@link #FORWARDED_BY}.
     */
    public static final String REQUEST_ID = "X-Serendip-Request-Id";

    /**
     * Router to router: set on feedback one replica passes to the replica that served the slate (which keeps that
     * slate's replay record); a replica never passes such feedback on again.
     */
    public static final String FORWARDED_BY = "X-Serendip-Forwarded-By";
}
