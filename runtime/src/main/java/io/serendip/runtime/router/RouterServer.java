package io.serendip.runtime.router;

import io.serendip.config.ArmSettings;
import io.serendip.runtime.reload.Generations;
import io.serendip.runtime.server.ApiException;
import io.serendip.runtime.server.HttpShell;
import io.serendip.runtime.server.JsonFields;
import io.serendip.runtime.server.Responses;
import io.serendip.runtime.server.ServingHeaders;
import io.serendip.runtime.server.SlateCounts;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
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
        shell.router().post("/v1/recommend").handler(this::recommend);
        shell.router().post("/v1/events").handler(feedback::handle);
        shell.router().get("/v1/stats").handler(this::stats);
    }

    private void recommend(RoutingContext ctx) {
        // The body is forwarded byte for byte: read only what routing needs, without decoding a tree.
        Buffer body = ctx.body().buffer();
        String user = RecommendRequestScan.user(body, maxHistory.getAsInt());
        Generations.Lease<RouterState> lease = lease();
        ctx.addEndHandler(v -> lease.close());
        RouterState state = lease.value();

        ArmSettings forced = forcedArm(ctx, state);
        // one hash per request: it picks the arm and names the user for the assignment counts
        long hash = forced != null ? 0 : state.hash(assignmentKey(ctx, state, user));
        ArmSettings assigned = forced != null ? forced : state.assign(hash);
        ArmMeters assignedMeters = stats.arm(state.experiment(), assigned.name());
        // QA traffic is served but kept out of the experiment's numbers.
        ArmMeters.Counts counts = forced != null ? assignedMeters.overrideCounts() : assignedMeters.experimentCounts();
        counts.request();
        if (forced == null && state.firstAssignment(hash)) {
            assignedMeters.assignedUsers.increment();
        }
        long started = System.nanoTime();
        if (forced == null) {
            ArmBackend shadow = state.mirror();
            if (shadow != null) {
                mirror(state, shadow, body);
            }
        }
        ArmSettings serving = state.servingArm(assigned);
        if (serving != assigned) {
            counts.fallback();
        }
        if (!serving.isReady()) {
            throw ApiException.unavailable("no ready arm for this user (control " + serving.name() + " is not ready)");
        }
        forward(state, serving, body)
                .recover(failure -> {
                    stats.arm(state.experiment(), serving.name()).errors.increment();
                    ArmSettings control = state.control();
                    if (serving.isControl() || !control.isReady()) {
                        return Future.failedFuture(failure);
                    }
                    counts.fallback();
                    return forward(state, control, body).onFailure(f ->
                            stats.arm(state.experiment(), control.name()).errors.increment());
                })
                .onSuccess(result -> {
                    counts.latency(System.nanoTime() - started);
                    reply(ctx, state, result, assigned, forced != null);
                })
                .onFailure(failure -> Responses.error(ctx, 502, "backend_unavailable",
                        "no arm backend answered: " + failure.getMessage()));
    }

    /**
     * Sends a copy of the request to the shadow arm and meters its answer like an arm's (requests, errors, latency,
     * and the slate's impressions, explored and novel items, from its header); the answer goes nowhere else.
     * The client's request does not wait for it.
     */
    private void mirror(RouterState state, ArmBackend shadow, Buffer body) {
        ArmMeters meters = stats.arm(state.experiment(), shadow.arm().name());
        meters.requests.increment();
        long started = System.nanoTime();
        shadow.recommend(body.copy()).onComplete(result -> {
            if (result.failed()) {
                meters.errors.increment();
                return;
            }
            meters.latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            ArmBackend.Answer answer = result.result();
            if (answer.status() >= 300) {
                return; // a request the shadow refused as bad input: nothing shown, nothing to count
            }
            slate(answer).ifPresentOrElse(meters::impressions, meters.errors::increment);
        });
    }

    /** What the answer showed: from the recommender's header, else read from the body (a recommender without it). */
    private static Optional<SlateCounts> slate(ArmBackend.Answer answer) {
        Optional<SlateCounts> header = SlateCounts.ofHeader(answer.slate());
        return header.isPresent() ? header : SlateCounts.ofBody(answer.body());
    }

    /** The arm the QA override header names, when the router enables one and the request carries it. */
    private static ArmSettings forcedArm(RoutingContext ctx, RouterState state) {
        String header = state.settings().assignment().overrideHeader();
        String name = header == null ? null : ctx.request().getHeader(header);
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
    private static String assignmentKey(RoutingContext ctx, RouterState state, String user) {
        String header = state.settings().assignment().keyHeader();
        String key = header == null ? null : ctx.request().getHeader(header);
        if (key == null || key.isBlank()) {
            return user;
        }
        if (key.length() > MAX_USER_KEY) {
            throw ApiException.badRequest(header + ": at most " + MAX_USER_KEY + " characters");
        }
        return key;
    }

    private record Forwarded(ArmSettings arm, ArmBackend.Answer response) {
    }

    private Future<Forwarded> forward(RouterState state, ArmSettings arm, Buffer body) {
        return state.backend(arm).recommend(body).map(response -> new Forwarded(arm, response));
    }

    /**
     * The backend's answer as it came. A slate is tagged with the serving and the assigned arm and a signed request id
     * naming what it showed, and its items are counted as the serving arm's impressions (QA traffic's are not).
     */
    private void reply(RoutingContext ctx, RouterState state, Forwarded result, ArmSettings assigned, boolean qa) {
        ArmBackend.Answer response = result.response();
        String served = result.arm().name();
        Buffer body;
        if (response.status() < 300) {
            Optional<SlateCounts> slate = slate(response);
            if (slate.isEmpty()) {
                stats.arm(state.experiment(), served).errors.increment();
                Responses.error(ctx, 502, "backend_invalid", "arm " + served + " answered no slate");
                return;
            }
            if (!qa) {
                stats.arm(state.experiment(), served).impressions(slate.get());
            }
            String requestId = ids.issue(System.currentTimeMillis(), self.get(), served, slate.get().items(),
                    slate.get().explored(), qa);
            body = ArmTag.tag(response.body(), served, assigned.name(), requestId);
            ctx.response().putHeader(ServingHeaders.REQUEST_ID, requestId);
        } else {
            body = ArmTag.isObject(response.body()) ? response.body() : null;
        }
        if (body == null) {
            Responses.error(ctx, 502, "backend_invalid", "arm " + served + " answered a non-JSON body");
            return;
        }
        ctx.response().putHeader(ServingHeaders.ARM, served);
        Responses.json(ctx, response.status(), body);
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
