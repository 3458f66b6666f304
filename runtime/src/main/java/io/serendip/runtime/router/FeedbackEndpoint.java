package io.serendip.runtime.router;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.serendip.config.ArmSettings;
import io.serendip.runtime.reload.Generations;
import io.serendip.runtime.server.ApiException;
import io.serendip.runtime.server.JsonFields;
import io.serendip.runtime.server.Responses;
import io.serendip.runtime.server.ServingHeaders;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/events}: feedback on a slate the router served, named by its signed request id. The id says which
 * arm served the slate, how many items and explored items it held, and which replica served it. Feedback on another
 * replica's slate is passed to that replica, which keeps the slate's replay record; when that replica is gone (its
 * address refuses connections) the feedback is checked and counted here. Each shown item counts at most once as
 * positive feedback (click or like) and at most once as a skip.
 */
final class FeedbackEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackEndpoint.class);
    static final int MAX_EVENT_ITEMS = 1000;

    private final Generations<RouterState> generations;
    private final RouterStats stats;
    private final RequestIds ids;
    private final FeedbackLedger ledger;
    private final long windowMillis;
    private final Supplier<String> self;
    private final LongSupplier clock;
    private final HttpClientAgent peers;
    private final MeterRegistry registry;

    FeedbackEndpoint(Vertx vertx, Generations<RouterState> generations, RouterStats stats, RequestIds ids,
                     FeedbackLedger ledger, long windowMillis, Supplier<String> self, LongSupplier clock,
                     MeterRegistry registry) {
        this.generations = generations;
        this.stats = stats;
        this.ids = ids;
        this.ledger = ledger;
        this.windowMillis = windowMillis;
        this.self = self;
        this.clock = clock;
        this.registry = registry;
        this.peers = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1000).setIdleTimeout(5)
                .setKeepAlive(true));
    }

    /** The outcome counters: {@code serendip_router_feedback_total{outcome}}, one per reason an event ends with. */
    private void outcome(String outcome) {
        Counter.builder("serendip.router.feedback").tag("outcome", outcome)
                .description("Feedback events by outcome: counted, qa (accepted, not counted), retired_arm, forwarded,"
                        + " orphaned (the serving replica was gone; checked and counted here), unknown_request_id,"
                        + " request_id_expired, already_counted, invalid, forward_failed")
                .register(registry).increment();
    }

    void handle(RoutingContext ctx) {
        Event event;
        try {
            event = parse(JsonFields.object(ctx.body()));
        } catch (ApiException e) {
            outcome("invalid");
            throw e;
        }
        RequestIds.Checked checked = ids.check(event.requestId(), clock.getAsLong(), windowMillis);
        if (checked.refusal() == RequestIds.Refusal.UNKNOWN) {
            refuse(ctx, 400, "unknown_request_id", "requestId: not a request id this router served");
            return;
        }
        if (checked.refusal() == RequestIds.Refusal.EXPIRED) {
            refuse(ctx, 410, "request_id_expired",
                    "requestId: served more than " + windowMillis / 1000 + " s ago; feedback is no longer counted");
            return;
        }
        RequestIds.Served served = checked.served();
        String mismatch = mismatch(event, served);
        if (mismatch != null) {
            refuse(ctx, 400, "invalid", mismatch);
            return;
        }
        String forwardedBy = ctx.request().getHeader(ServingHeaders.FORWARDED_BY);
        if (forwardedBy == null && !served.issuer().equals(self.get())) {
            forward(ctx, served, event);
            return;
        }
        count(ctx, served, event, "counted");
    }

    /** One feedback event, checked for shape. */
    private record Event(String requestId, boolean positive, List<String> itemIds, int explored, String arm,
                         Buffer body) {
    }

    private static Event parse(JsonObject body) {
        String type = JsonFields.requiredString(body, "type").toLowerCase(Locale.ROOT);
        if (type.equals("impression")) {
            throw ApiException.badRequest("type: impressions are counted by the router from the slates it serves;"
                    + " post click, like or skip");
        }
        if (!type.equals("click") && !type.equals("like") && !type.equals("skip")) {
            throw ApiException.badRequest("type: must be one of click, like, skip (got " + type + ")");
        }
        String requestId = JsonFields.requiredString(body, "requestId");
        JsonArray items = JsonFields.requiredArray(body, "items");
        if (items.isEmpty() || items.size() > MAX_EVENT_ITEMS) {
            throw ApiException.badRequest("items: must hold 1 to " + MAX_EVENT_ITEMS + " entries (got " + items.size() + ")");
        }
        List<String> itemIds = new ArrayList<>(items.size());
        Set<String> seen = new HashSet<>();
        int explored = 0;
        for (int i = 0; i < items.size(); i++) {
            if (!(items.getValue(i) instanceof JsonObject item)) {
                throw ApiException.badRequest("items[" + i + "]: must be an object {id, explored}");
            }
            String id = JsonFields.requiredString(item, "id");
            if (!seen.add(id)) {
                throw ApiException.badRequest("items[" + i + "].id: " + id + " is named twice");
            }
            itemIds.add(id);
            explored += JsonFields.optionalBoolean(item, "explored", false) ? 1 : 0;
        }
        return new Event(requestId, !type.equals("skip"), itemIds, explored, JsonFields.optionalString(body, "arm"),
                body.toBuffer());
    }

    /** Why the event cannot be about the slate the id describes, or null. */
    private static String mismatch(Event event, RequestIds.Served served) {
        if (event.arm() != null && !event.arm().equals(served.arm())) {
            return "arm: the request was served by arm " + served.arm() + ", not " + event.arm();
        }
        if (event.itemIds().size() > served.items()) {
            return "items: the slate held " + served.items() + " items (got " + event.itemIds().size() + ")";
        }
        if (event.explored() > served.explored()) {
            return "items: the slate held " + served.explored() + " explored items (got " + event.explored()
                    + " marked explored)";
        }
        return null;
    }

    /** @param outcome what a counted event is recorded as: {@code counted}, or {@code orphaned} for a gone replica's */
    private void count(RoutingContext ctx, RequestIds.Served served, Event event, String outcome) {
        String tag = event.requestId().substring(event.requestId().indexOf('.') + 1);
        String kind = event.positive() ? "|p|" : "|s|";
        List<String> keys = new ArrayList<>(event.itemIds().size());
        for (String item : event.itemIds()) {
            keys.add(tag + kind + item);
        }
        if (!ledger.recordIfNew(keys, clock.getAsLong())) {
            refuse(ctx, 409, "already_counted", "requestId: feedback of this kind on "
                    + (keys.size() == 1 ? "this item" : "one of these items") + " was already counted");
            return;
        }
        JsonObject answer = new JsonObject().put("accepted", keys.size()).put("arm", served.arm());
        if (served.qa()) {
            outcome("qa"); // QA traffic: accepted, kept out of the experiment's numbers
            Responses.json(ctx, 202, answer.put("counted", false));
            return;
        }
        try (Generations.Lease<RouterState> lease = generations.acquire()) {
            RouterState state = lease == null ? null : lease.value();
            ArmSettings arm = state == null ? null : state.arm(served.arm());
            if (arm == null) {
                outcome("retired_arm");
                Responses.json(ctx, 202, answer.put("counted", false));
                return;
            }
            ArmMeters meters = stats.arm(state.experiment(), arm.name());
            if (event.positive()) {
                meters.positiveFeedback.increment(keys.size());
                meters.exploredPositiveFeedback.increment(event.explored());
            } else {
                meters.skips.increment(keys.size());
            }
        }
        outcome(outcome);
        Responses.json(ctx, 202, answer.put("counted", true));
    }

    /** Passes the event to the replica that served the slate and relays its answer. */
    private void forward(RoutingContext ctx, RequestIds.Served served, Event event) {
        String issuer = served.issuer();
        int colon = issuer.lastIndexOf(':');
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setHost(issuer.substring(0, colon).replace("[", "").replace("]", "")).setPort(Integer.parseInt(issuer.substring(colon + 1)))
                .setURI("/v1/events").setIdleTimeout(5000)
                .putHeader("Content-Type", "application/json")
                .putHeader(ServingHeaders.FORWARDED_BY, self.get());
        peers.request(options)
                .compose(request -> request.send(event.body()))
                .compose(response -> response.body().map(body -> {
                    if (fromServingReplica(response.statusCode(), body)) {
                        outcome("forwarded");
                        Responses.json(ctx, response.statusCode(), body);
                    } else {
                        // Its address now answers for something else (a reused pod IP): the replica is gone.
                        LOG.info("feedback for a slate of {} counted here: that address answered {}", issuer,
                                response.statusCode());
                        count(ctx, served, event, "orphaned");
                    }
                    return null;
                }))
                .onFailure(failure -> {
                    if (failure instanceof ConnectException || failure instanceof NoRouteToHostException) {
                        // The serving replica is gone and its replay record with it: check and count here.
                        LOG.info("feedback for a slate of {} counted here: {}", issuer, failure.getMessage());
                        count(ctx, served, event, "orphaned");
                    } else {
                        outcome("forward_failed");
                        Responses.error(ctx, 503, "serving_replica_unavailable",
                                "the router replica that served this request did not answer (" + failure.getMessage()
                                        + "); retry later");
                    }
                });
    }

    /**
     * Whether an answer to a passed-on event comes from a replica that checked it as this one would: accepted,
     * already counted, expired or invalid. A 404, a 5xx or an unknown id means the address is no longer that replica
     * (a pod IP reused by another pod, another experiment's router with another key).
     */
    static boolean fromServingReplica(int status, Buffer body) {
        if (status == 202 || status == 409 || status == 410) {
            return true;
        }
        if (status != 400) {
            return false;
        }
        try {
            return "invalid".equals(new JsonObject(body).getString("error"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void refuse(RoutingContext ctx, int status, String code, String message) {
        outcome(code);
        Responses.error(ctx, status, code, message);
    }

    void close() {
        peers.close();
    }
}
