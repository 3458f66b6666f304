package io.serendip.runtime.router;

import io.netty.buffer.ByteBuf;
import io.serendip.config.ArmSettings;
import io.serendip.runtime.reload.Generations;
import io.serendip.runtime.server.ApiException;
import io.serendip.runtime.server.FastExchange;
import io.serendip.runtime.server.HttpShell;
import io.serendip.runtime.server.JsonFields;
import io.serendip.runtime.server.Responses;
import io.serendip.runtime.server.ServingHeaders;
import io.serendip.runtime.server.SlateCounts;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The A/B router's HTTP API: {@code POST /v1/recommend} (assign, forward, fall back to control, count the served
 * slate's impressions, hand out its signed request id), {@code POST /v1/events} (feedback naming a request id, see
 * {@link FeedbackEndpoint}) and {@code GET /v1/stats}.
 */
public final class RouterServer {
    static final int MAX_USER_KEY = 256;

    private final Generations<RouterState> generations;
    private final RouterStats stats;
    private final IntSupplier maxHistory;
    private final RequestIds ids;
    private final Supplier<String> self;

    /**
     * @param self this replica's address as other replicas reach it ({@code host:port}), written into the ids it
     *             hands out so feedback reaches the replica that keeps the slate's replay record
     */
    public RouterServer(HttpShell shell, Generations<RouterState> generations, RouterStats stats, IntSupplier maxHistory,
                        RequestIds ids, FeedbackEndpoint feedback, Supplier<String> self) {
        this.generations = generations;
        this.stats = stats;
        this.maxHistory = maxHistory;
        this.ids = ids;
        this.self = self;
        shell.fastRoute(HttpMethod.POST, "/v1/recommend", this::recommend);
        shell.router().post("/v1/events").handler(feedback::handle);
        shell.router().get("/v1/stats").handler(this::stats);
    }

    private void recommend(FastExchange exchange) {
        // The body is forwarded byte for byte: read only what routing needs, without decoding a tree.
        String user = RecommendRequestScan.user(BufferInternal.buffer(exchange.body()), maxHistory.getAsInt());
        Generations.Lease<RouterState> lease = lease();
        exchange.onEnd(lease);
        RouterState state = lease.value();

        ArmSettings forced = forcedArm(exchange, state);
        // one hash per request: it picks the arm and names the user for the assignment counts
        long hash = forced != null ? 0 : state.hash(assignmentKey(exchange, state, user));
        ArmSettings assigned = forced != null ? forced : state.assign(hash);
        ArmMeters assignedMeters = stats.arm(state.experiment(), assigned.name());
        // QA traffic is served but kept out of the experiment's numbers.
        ArmMeters.Counts counts = forced != null ? assignedMeters.overrideCounts() : assignedMeters.experimentCounts();
        counts.request();
        if (forced == null && state.firstAssignment(hash)) {
            assignedMeters.assignedUsers.increment();
        }
        if (forced == null) {
            ArmBackend shadow = state.mirror();
            if (shadow != null) {
                shadow.recommend(exchange.eventLoop(), exchange.transport(), exchange.body(),
                        new Mirrored(stats.arm(state.experiment(), shadow.arm().name())));
            }
        }
        ArmSettings serving = state.servingArm(assigned);
        if (serving != assigned) {
            counts.fallback();
        }
        if (!serving.isReady()) {
            throw ApiException.unavailable("no ready arm for this user (control " + serving.name() + " is not ready)");
        }
        Call call = new Call(exchange, state, assigned, forced != null, counts, serving);
        state.backend(serving).recommend(exchange.eventLoop(), exchange.transport(), exchange.body(), call);
    }

    /**
     * One client request's way through the arms: the serving arm, then control once when that fails (an error of the
     * arm that failed each time), then the answer or a 502.
     */
    private final class Call implements ArmBackend.Listener {
        private final FastExchange exchange;
        private final RouterState state;
        private final ArmSettings assigned;
        private final boolean qa;
        private final ArmMeters.Counts counts;
        private final long started = System.nanoTime();
        private ArmSettings serving;

        Call(FastExchange exchange, RouterState state, ArmSettings assigned, boolean qa, ArmMeters.Counts counts,
             ArmSettings serving) {
            this.exchange = exchange;
            this.state = state;
            this.assigned = assigned;
            this.qa = qa;
            this.counts = counts;
            this.serving = serving;
        }

        @Override
        public void failed(String reason) {
            stats.arm(state.experiment(), serving.name()).errors.increment();
            ArmSettings control = state.control();
            if (serving.isControl() || !control.isReady()) {
                exchange.error(502, "backend_unavailable", "no arm backend answered: " + reason);
                return;
            }
            counts.fallback();
            serving = control;
            state.backend(control).recommend(exchange.eventLoop(), exchange.transport(), exchange.body(), this);
        }

        @Override
        public void answered(int status, ByteBuf body, String slateHeader) {
            counts.latency(System.nanoTime() - started);
            reply(exchange, state, serving.name(), status, body, slateHeader, assigned, qa);
        }
    }

    /**
     * A copy of the request sent to the shadow arm, metered like an arm's (requests, errors, latency, and the slate's
     * impressions, explored and novel items, from its header); the answer goes nowhere else and the client's request
     * does not wait for it.
     */
    private static final class Mirrored implements ArmBackend.Listener {
        private final ArmMeters meters;
        private final long started = System.nanoTime();

        Mirrored(ArmMeters meters) {
            this.meters = meters;
            meters.requests.increment();
        }

        @Override
        public void answered(int status, ByteBuf body, String slateHeader) {
            meters.latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            if (status >= 300) {
                return; // a request the shadow refused as bad input: nothing shown, nothing to count
            }
            slate(slateHeader, body).ifPresentOrElse(meters::impressions, meters.errors::increment);
        }

        @Override
        public void failed(String reason) {
            meters.errors.increment();
        }
    }

    /** What the answer showed: from the recommender's header, else read from the body (a recommender without it). */
    private static Optional<SlateCounts> slate(String header, ByteBuf body) {
        Optional<SlateCounts> counts = SlateCounts.ofHeader(header);
        return counts.isPresent() ? counts : SlateCounts.ofBody(BufferInternal.buffer(body.duplicate()));
    }

    /** The arm the QA override header names, when the router enables one and the request carries it. */
    private static ArmSettings forcedArm(FastExchange exchange, RouterState state) {
        String header = state.settings().assignment().overrideHeader();
        String name = header == null ? null : exchange.header(header);
        if (name == null) {
            return null;
        }
        ArmSettings arm = state.arm(name.trim());
        if (arm == null) {
            throw ApiException.badRequest(header + ": unknown arm " + name + " (known: " + state.armNames() + ")");
        }
        return arm;
    }

    /** The configured key header's value, else the body's user. */
    private static String assignmentKey(FastExchange exchange, RouterState state, String user) {
        String header = state.settings().assignment().keyHeader();
        String key = header == null ? null : exchange.header(header);
        if (key == null || key.isBlank()) {
            return user;
        }
        if (key.length() > MAX_USER_KEY) {
            throw ApiException.badRequest(header + ": at most " + MAX_USER_KEY + " characters");
        }
        return key;
    }

    /**
     * The backend's answer as it came. A slate is tagged with the serving and the assigned arm and a signed request id
     * naming what it showed, and its items are counted as the serving arm's impressions (QA traffic's are not).
     */
    private void reply(FastExchange exchange, RouterState state, String served, int status, ByteBuf answer,
                       String slateHeader, ArmSettings assigned, boolean qa) {
        if (status >= 300) {
            if (!ArmTag.isObject(answer)) {
                exchange.error(502, "backend_invalid", "arm " + served + " answered a non-JSON body");
                return;
            }
            exchange.json(status, answer.retainedDuplicate(), ServingHeaders.ARM, served);
            return;
        }
        Optional<SlateCounts> slate = slate(slateHeader, answer);
        if (slate.isEmpty()) {
            stats.arm(state.experiment(), served).errors.increment();
            exchange.error(502, "backend_invalid", "arm " + served + " answered no slate");
            return;
        }
        String requestId = ids.issue(System.currentTimeMillis(), self.get(), served, slate.get().items(),
                slate.get().explored(), qa);
        ByteBuf tagged = ArmTag.tag(answer, served, assigned.name(), requestId, exchange.alloc());
        if (tagged == null) {
            exchange.error(502, "backend_invalid", "arm " + served + " answered a non-JSON body");
            return;
        }
        if (!qa) {
            stats.arm(state.experiment(), served).impressions(slate.get());
        }
        exchange.json(status, tagged, ServingHeaders.ARM, served, ServingHeaders.REQUEST_ID, requestId);
    }

    private void stats(RoutingContext ctx) {
        try (Generations.Lease<RouterState> lease = lease()) {
            RouterState state = lease.value();
            JsonObject json = stats.toJson(state.experiment(), state.meteredNames());
            if (state.settings().shadow() != null) {
                json.put("shadow", state.settings().shadow().name());
            }
            if (state.settings().revision() != null) {
                json.put("configRevision", state.settings().revision());
            }
            Responses.json(ctx, 200, json);
        }
    }

    private Generations.Lease<RouterState> lease() {
        Generations.Lease<RouterState> lease = generations.acquire();
        if (lease == null) {
            throw ApiException.unavailable("router config not loaded yet");
        }
        return lease;
    }

    static String userKey(JsonObject body) {
        String user = JsonFields.requiredString(body, "user");
        if (user.length() > MAX_USER_KEY) {
            throw ApiException.badRequest("user: at most " + MAX_USER_KEY + " characters");
        }
        return user;
    }
}
