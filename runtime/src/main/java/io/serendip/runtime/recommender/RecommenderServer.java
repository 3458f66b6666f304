package io.serendip.runtime.recommender;

import io.serendip.ml.artifact.ClusterSet;
import io.serendip.runtime.server.ApiException;
import io.serendip.runtime.reload.Generations;
import io.serendip.runtime.server.HttpShell;
import io.serendip.runtime.server.Inference;
import io.serendip.runtime.server.JsonFields;
import io.serendip.runtime.server.Responses;
import io.serendip.runtime.server.ServingHeaders;
import io.serendip.runtime.server.SlateCounts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.IntSupplier;

/** {@code POST /v1/recommend}: a slate of exploitation and exploration items. */
public final class RecommenderServer {
    static final int MAX_SLATE = 1000;

    private final Generations<RecommenderModels> generations;
    private final RecommendBatcher batcher;
    private final IntSupplier maxHistory;
    private final ArmRequestMeters armMeters;

    public RecommenderServer(HttpShell shell, Generations<RecommenderModels> generations, RecommendBatcher batcher,
                             IntSupplier maxHistory) {
        this.generations = generations;
        this.batcher = batcher;
        this.armMeters = new ArmRequestMeters(shell.registry());
        this.maxHistory = maxHistory;
        shell.router().post("/v1/recommend").handler(this::recommend);
    }

    /** A validated request. */
    record Request(String user, List<String> history, Integer k, Double share, Integer slots) {
    }

    /**
     * Parses and checks the request and maps its items on the event loop (cheap, and every 4xx is known before any
     * model work); the forward pass and the slate run on a batcher thread; the answer is encoded back here.
     */
    private void recommend(RoutingContext ctx) {
        long started = System.nanoTime();
        io.micrometer.core.instrument.Timer arm = armMeters.arm(ctx.request().getHeader(ServingHeaders.ARM));
        ctx.addEndHandler(v -> {
            if (ctx.response().getStatusCode() < 400) {
                arm.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        });
        JsonObject body = JsonFields.object(ctx.body());
        Request request = parse(body, ctx.request().getHeader(ServingHeaders.EXPLORATION));
        Generations.Lease<RecommenderModels> lease = Inference.acquire(generations);
        RecommenderModels models = lease.value();
        RecommendBatcher.Job job;
        try {
            job = job(models, request);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        // Held until the answer is encoded, not until the response ends: a client that goes away mid-request ends
        // its response at once, and a hot swap must still not close the model under its forward pass.
        Future.fromCompletionStage(batcher.submit(job), ctx.vertx().getOrCreateContext())
                .onComplete(done -> {
                    try {
                        if (done.failed()) {
                            Responses.fail(ctx, done.cause());
                            return;
                        }
                        Recommendation slate = done.result();
                        ctx.response().putHeader(ServingHeaders.SLATE, counts(slate).header());
                        Responses.json(ctx, 200, answer(models, request, job, slate));
                    } catch (RuntimeException e) {
                        Responses.fail(ctx, e);
                    } finally {
                        lease.close();
                    }
                });
    }

    /** What the slate shows, for the router's impression counts ({@code novel} as in {@link #answer}). */
    static SlateCounts counts(Recommendation slate) {
        int explored = 0;
        int novel = 0;
        for (SlateBuilder.Entry entry : slate.entries()) {
            if (entry.explored()) {
                explored++;
                novel += slate.userClusters().get(entry.cluster()) ? 0 : 1;
            }
        }
        return new SlateCounts(slate.entries().size(), explored, novel);
    }

    /** @param routerShare the router's exploration share for the arm (a header), which takes the body's place */
    private Request parse(JsonObject body, String routerShare) {
        String user = JsonFields.optionalString(body, "user");
        List<String> history = JsonFields.stringArray(body, "history", maxHistory.getAsInt(), true);
        if (history.isEmpty()) {
            throw ApiException.badRequest("history: at least one item is required");
        }
        Integer k = body.getValue("k") == null ? null : JsonFields.optionalInt(body, "k", 0, 1, MAX_SLATE);
        Double share = null;
        Object exploration = body.getValue("exploration");
        if (exploration != null) {
            if (!(exploration instanceof Number number) || !(number.doubleValue() >= 0 && number.doubleValue() <= 1)) {
                throw ApiException.badRequest("exploration: must be a share between 0 and 1");
            }
            share = number.doubleValue();
        }
        if (routerShare != null) {
            share = shareHeader(routerShare);
        }
        Integer slots = body.getValue("explorationSlots") == null ? null
                : JsonFields.optionalInt(body, "explorationSlots", 0, 0, MAX_SLATE);
        return new Request(user, history, k, share, slots);
    }

    private static double shareHeader(String text) {
        try {
            double share = Double.parseDouble(text.trim());
            if (share >= 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest(ServingHeaders.EXPLORATION + ": must be a share between 0 and 1");
    }

    /** The request on the leased generation's dense indices, with its slate size and exploration slots settled. */
    static RecommendBatcher.Job job(RecommenderModels models, Request request) {
        ClusterSet clusters = models.clusters();
        int[] history = new int[request.history().size()];
        for (int i = 0; i < history.length; i++) {
            history[i] = clusters.items().indexOf(request.history().get(i));
            if (history[i] < 0) {
                throw ApiException.badRequest("history[" + i + "]: unknown item " + request.history().get(i));
            }
        }
        int k = request.k() != null ? request.k() : models.settings().defaultSlateSize();
        int slots;
        if (request.slots() != null) {
            slots = Math.min(request.slots(), k);
        } else {
            double share = request.share() != null ? request.share() : models.settings().defaultExplorationShare();
            slots = (int) Math.round(share * k);
        }
        return new RecommendBatcher.Job(models, history, k, slots);
    }

    /** The whole answer on the calling thread, one forward pass of its own (benchmarks). */
    static JsonObject answer(RecommenderModels models, Request request) {
        RecommendBatcher.Job job = job(models, request);
        return answer(models, request, job,
                RecommendService.recommend(models, job.history(), job.k(), job.explorationSlots()));
    }

    static JsonObject answer(RecommenderModels models, Request request, RecommendBatcher.Job job, Recommendation slate) {
        ClusterSet clusters = models.clusters();
        JsonArray items = new JsonArray();
        for (SlateBuilder.Entry entry : slate.entries()) {
            JsonObject item = new JsonObject()
                    .put("id", clusters.items().idOf(entry.item()))
                    .put("score", entry.score())
                    .put("explored", entry.explored());
            if (entry.explored()) {
                item.put("novel", !slate.userClusters().get(entry.cluster()));
                item.put("cluster", new JsonObject().put("id", entry.cluster())
                        .put("description", clusters.description(entry.cluster())));
            }
            items.add(item);
        }
        JsonObject out = new JsonObject();
        if (request.user() != null) {
            out.put("user", request.user());
        }
        return out.put("items", items)
                .put("exploration", new JsonObject()
                        .put("slots", job.explorationSlots())
                        .put("historyClusters", new JsonArray(java.util.Arrays.stream(slate.historyClusters()).boxed().toList()))
                        .put("novelClusters", new JsonArray(java.util.Arrays.stream(slate.novelClusters()).boxed().toList()))
                        .put("fallback", slate.fallback()));
    }
}
