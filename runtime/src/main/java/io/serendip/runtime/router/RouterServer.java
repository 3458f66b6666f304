package io.serendip.runtime.router;

import io.serendip.config.ArmSettings;
import io.serendip.runtime.reload.Generations;
import io.serendip.runtime.server.ApiException;
import io.serendip.runtime.server.HttpShell;
import io.serendip.runtime.server.JsonFields;
import io.serendip.runtime.server.Responses;
import io.serendip.runtime.server.ServingHeaders;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The A/B router's HTTP API: {@code POST /v1/recommend} (assign, forward, fall back to control),
 * {@code POST /v1/events} (feedback counters) and {@code GET /v1/stats}.
 */
public final class RouterServer {
    static final int MAX_USER_KEY = 256;
    static final int MAX_EVENT_ITEMS = 1000;

    private final Generations<RouterState> generations;
    private final RouterStats stats;
    private final IntSupplier maxHistory;

    public RouterServer(HttpShell shell, Generations<RouterState> generations, RouterStats stats, IntSupplier maxHistory) {
        this.generations = generations;
        this.stats = stats;
        this.maxHistory = maxHistory;
        shell.router().post("/v1/recommend").handler(this::recommend);
        shell.router().post("/v1/events").handler(this::events);
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
        ArmSettings assigned = forced != null ? forced : state.assign(assignmentKey(ctx, state, user));
        ArmMeters assignedMeters = stats.arm(state.experiment(), assigned.name());
        // QA traffic is served but kept out of the experiment's numbers.
        ArmMeters.Counts counts = forced != null ? assignedMeters.overrideCounts() : assignedMeters.experimentCounts();
        counts.request();
        long started = System.nanoTime();
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
                    reply(ctx, result, assigned);
                })
                .onFailure(failure -> Responses.error(ctx, 502, "backend_unavailable",
                        "no arm backend answered: " + failure.getMessage()));
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

    /** The backend's answer as it came, a slate tagged with the serving and the assigned arm. */
    private static void reply(RoutingContext ctx, Forwarded result, ArmSettings assigned) {
        ArmBackend.Answer response = result.response();
        Buffer body = response.status() < 300
                ? ArmTag.tag(response.body(), result.arm().name(), assigned.name())
                : ArmTag.isObject(response.body()) ? response.body() : null;
        if (body == null) {
            Responses.error(ctx, 502, "backend_invalid", "arm " + result.arm().name() + " answered a non-JSON body");
            return;
        }
        ctx.response().putHeader(ServingHeaders.ARM, result.arm().name());
        Responses.json(ctx, response.status(), body);
    }

    private void events(RoutingContext ctx) {
        JsonObject body = JsonFields.object(ctx.body());
        String user = userKey(body);
        String type = JsonFields.requiredString(body, "type").toLowerCase(Locale.ROOT);
        if (!type.equals("impression") && !type.equals("click") && !type.equals("like") && !type.equals("skip")) {
            throw ApiException.badRequest("type: must be one of impression, click, like, skip (got " + type + ")");
        }
        JsonArray items = JsonFields.requiredArray(body, "items");
        if (items.isEmpty() || items.size() > MAX_EVENT_ITEMS) {
            throw ApiException.badRequest("items: must hold 1 to " + MAX_EVENT_ITEMS + " entries (got " + items.size() + ")");
        }
        int explored = 0;
        int novel = 0;
        for (int i = 0; i < items.size(); i++) {
            if (!(items.getValue(i) instanceof JsonObject item)) {
                throw ApiException.badRequest("items[" + i + "]: must be an object {id, explored, novel}");
            }
            JsonFields.requiredString(item, "id");
            boolean isExplored = JsonFields.optionalBoolean(item, "explored", false);
            boolean isNovel = JsonFields.optionalBoolean(item, "novel", false);
            explored += isExplored ? 1 : 0;
            novel += isExplored && isNovel ? 1 : 0;
        }
        String armName = JsonFields.optionalString(body, "arm");
        try (Generations.Lease<RouterState> lease = lease()) {
            RouterState state = lease.value();
            ArmSettings forced = forcedArm(ctx, state);
            if (forced != null) {
                // Feedback on QA traffic: accepted, not counted.
                Responses.json(ctx, 202, new JsonObject().put("accepted", items.size()).put("arm", forced.name())
                        .put("counted", false));
                return;
            }
            ArmSettings arm;
            if (armName != null) {
                arm = state.arm(armName);
                if (arm == null) {
                    throw ApiException.badRequest("arm: unknown arm " + armName + " (known: " + state.armNames() + ")");
                }
            } else {
                arm = state.servingArm(state.assign(assignmentKey(ctx, state, user)));
            }
            ArmMeters meters = stats.arm(state.experiment(), arm.name());
            switch (type) {
                case "impression" -> {
                    meters.impressions.increment(items.size());
                    meters.explorationImpressions.increment(explored);
                    meters.exploredNovel.increment(novel);
                }
                case "click", "like" -> {
                    meters.positiveFeedback.increment(items.size());
                    meters.exploredPositiveFeedback.increment(explored);
                }
                default -> meters.skips.increment(items.size());
            }
            Responses.json(ctx, 202, new JsonObject().put("accepted", items.size()).put("arm", arm.name()));
        }
    }

    private void stats(RoutingContext ctx) {
        try (Generations.Lease<RouterState> lease = lease()) {
            RouterState state = lease.value();
            JsonObject json = stats.toJson(state.experiment(), state.armNames());
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
