package io.serendip.runtime.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON responses and the one error shape: {@code {"error": code, "message": text}}. */
public final class Responses {
    private Responses() {
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        json(ctx, status, body.toBuffer());
    }

    /** A body that is JSON already (as a backend's answer passed through). */
    public static void json(RoutingContext ctx, int status, Buffer body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body);
    }

    public static void error(RoutingContext ctx, int status, String code, String message) {
        json(ctx, status, new JsonObject().put("error", code).put("message", message));
    }

    /** Routes a failure to the shell's failure handler (which writes the JSON error). */
    public static void fail(RoutingContext ctx, Throwable failure) {
        if (!ctx.response().ended()) {
            ctx.fail(failure instanceof ApiException api ? api.status() : 500, failure);
        }
    }
}
