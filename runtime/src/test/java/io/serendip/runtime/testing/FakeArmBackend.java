package io.serendip.runtime.testing;

import io.serendip.runtime.server.ServingHeaders;
import io.serendip.runtime.server.SlateCounts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in arm backend on a real socket for router tests: answers {@code POST /v1/recommend}
 * with its own name and the exploration share it received (the router's header, as a recommender reads
 * it) and a slate (one explored novel item when it explores), or 500 when told to fail.
 */
public final class FakeArmBackend implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final String name;
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean failing;
    private volatile long delayMillis;

    public FakeArmBackend(String name) throws Exception {
        this.name = name;
        this.server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            requests.incrementAndGet();
            if (failing) {
                req.response().setStatusCode(500).end("{\"error\":\"internal\"}");
                return;
            }
            JsonObject in = body.toJsonObject();
            double exploration = Double.valueOf(req.getHeader(ServingHeaders.EXPLORATION));
            JsonArray items = new JsonArray().add(new JsonObject().put("id", "1").put("explored", false));
            if (exploration > 0) { // an exploring arm shows one explored item from a novel cluster
                items.add(new JsonObject().put("id", "2").put("explored", true).put("novel", true));
            }
            JsonObject out = new JsonObject().put("backend", name)
                    .put("user", in.getString("user"))
                    .put("exploration", exploration)
                    .put("items", items);
            // the slate's counts in the header, as the recommender sends them
            req.response().putHeader(ServingHeaders.SLATE, new SlateCounts(items.size(), exploration > 0 ? 1 : 0,
                    exploration > 0 ? 1 : 0).header());
            if (delayMillis > 0) {
                vertx.setTimer(delayMillis, id -> req.response().putHeader("Content-Type", "application/json").end(out.encode()));
            } else {
                req.response().putHeader("Content-Type", "application/json").end(out.encode());
            }
        })).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public String name() {
        return name;
    }

    public int requests() {
        return requests.get();
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    public void delayMillis(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
