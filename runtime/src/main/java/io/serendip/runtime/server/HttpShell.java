package io.serendip.runtime.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.serendip.config.ServerSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every server shares: {@code /healthz}, {@code /readyz}, {@code /metrics}, request size limits,
 * JSON errors (never a stack trace, never a 5xx for bad input) and a graceful drain on stop.
 * Servers add their API routes to {@link #router()} before {@link #start(int)}.
 */
public final class HttpShell {
    private static final Logger LOG = LoggerFactory.getLogger(HttpShell.class);

    private final Vertx vertx;
    private final ServerSettings settings;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final Router router;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** When the last request started or ended (System.nanoTime). */
    private volatile long lastRequestNanos = System.nanoTime();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final List<FrontServer.Route> fastRoutes = new ArrayList<>();
    /** The public port's Netty front when there are fast routes; the Vert.x servers then listen on loopback only. */
    private volatile FrontServer front;
    private NettyTransport frontTransport = NettyTransport.current();

    public HttpShell(Vertx vertx, ServerSettings settings, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        this.vertx = vertx;
        this.settings = settings;
        this.registry = registry;
        this.ready = ready;
        this.router = Router.router(vertx);
        router.route().handler(this::trackInFlight);
        router.route().handler(BodyHandler.create(false).setBodyLimit(settings.maxRequestBytes()));
        router.get("/healthz").handler(ctx -> Responses.json(ctx, 200, new JsonObject().put("status", "ok")));
        router.get("/readyz").handler(this::readiness);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
        router.route().failureHandler(this::failure);
        router.errorHandler(404, ctx -> Responses.error(ctx, 404, "not_found",
                "no route for " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(405, HttpShell::methodNotAllowed);
        router.errorHandler(413, ctx -> Responses.error(ctx, 413, "too_large",
                "request body: larger than " + settings.maxRequestBytes() + " bytes"));
    }

    public Router router() {
        return router;
    }

    /** The front's transport in place of {@link NettyTransport#current()} (tests cover each); before {@link #start}. */
    void frontTransport(NettyTransport transport) {
        this.frontTransport = transport;
    }

    /**
     * Serves {@code method path} on the front's own event loops ({@link FastRoute}); add before {@link #start}. The
     * shell itself answers that path with 405 for any other method.
     */
    public void fastRoute(io.vertx.core.http.HttpMethod method, String path, FastRoute handler) {
        fastRoutes.add(new FrontServer.Route(io.netty.handler.codec.http.HttpMethod.valueOf(method.name()), path,
                handler));
        router.route(path).handler(HttpShell::methodNotAllowed);
    }

    private static void methodNotAllowed(RoutingContext ctx) {
        Responses.error(ctx, 405, "method_not_allowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path());
    }

    public Vertx vertx() {
        return vertx;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public boolean isDraining() {
        return draining.get();
    }

    public int inFlight() {
        return inFlight.get();
    }


    /**
     * Listens with {@code instances} servers on the same port, each deployed on its own event-loop context,
     * so Vert.x hands connections round-robin to that many event loops: one server would keep all HTTP
     * work of a multi-core pod on one thread. A configured port of 0 becomes Vert.x's shared random port
     * (-1), which all instances bind together. Answers the bound port.
     */
    public Future<Integer> start(int instances) {
        boolean fronted = !fastRoutes.isEmpty();
        HttpServerOptions options = new HttpServerOptions()
                .setPort(fronted || settings.port() == 0 ? -1 : settings.port())
                .setHost(fronted ? "127.0.0.1" : "0.0.0.0")
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(16384)
                .setCompressionSupported(false)
                // HTTP/1.1 only: a stopping server must be able to move keep-alive clients to another replica
                // ("Connection: close" after an answer). Over an upgraded h2c connection the GOAWAY that closes it
                // fails the client's streams that cross it (seen in RealTrafficRolloutTest's rolling update).
                .setHttp2ClearTextEnabled(false);
        List<Future<HttpServer>> listening = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            listening.add(listen(options));
        }
        Future<Integer> started = Future.all(listening).map(all -> servers.get(0).actualPort());
        if (fronted) {
            started = started.compose(shellPort -> vertx.executeBlocking(() -> {
                front = FrontServer.start("0.0.0.0", settings.port(), instances, List.copyOf(fastRoutes),
                        frontShell(new InetSocketAddress("127.0.0.1", shellPort)), frontTransport);
                LOG.info("fast routes {} on Netty ({}); the rest relayed to 127.0.0.1:{}",
                        fastRoutes.stream().map(r -> r.method() + " " + r.path()).toList(), front.transport(),
                        shellPort);
                return front.port();
            }));
        }
        return started.onSuccess(port -> LOG.info("listening on port {} with {} event loop(s)", port, servers.size()));
    }

    private FrontServer.Shell frontShell(InetSocketAddress relayAddress) {
        return new FrontServer.Shell() {
            @Override
            public boolean draining() {
                return draining.get();
            }

            @Override
            public void requestStarted() {
                inFlight.incrementAndGet();
                lastRequestNanos = System.nanoTime();
            }

            @Override
            public void requestEnded() {
                lastRequestNanos = System.nanoTime();
                inFlight.decrementAndGet();
            }

            @Override
            public int maxRequestBytes() {
                return settings.maxRequestBytes();
            }

            @Override
            public InetSocketAddress relayAddress() {
                return relayAddress;
            }
        };
    }

    private Future<HttpServer> listen(HttpServerOptions options) {
        Promise<HttpServer> listening = Promise.promise();
        // Each deployment gets an event-loop context of its own: the server, its connections and handlers stay on it.
        vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                return vertx.createHttpServer(options).requestHandler(router).listen()
                        .onSuccess(servers::add).onComplete(listening);
            }
        });
        return listening.future();
    }

    /** The bound port (useful when the config asks for port 0 in tests). */
    public int port() {
        FrontServer fronted = front;
        return fronted != null ? fronted.port() : servers.get(0).actualPort();
    }

    /**
     * Graceful stop: readiness turns false at once, requests keep being served until none has been in flight for
     * {@link #QUIET_MILLIS} or drainSeconds pass, then the listener closes. The quiet period is for keep-alive clients
     * between two requests: closing their idle connection at once races their next request (it fails without an
     * answer, seen when a router pod was deleted under load); within the period that request is answered with
     * "Connection: close" and the client moves on.
     */
    public Future<Void> drainAndStop() {
        draining.set(true);
        Promise<Void> drained = Promise.promise();
        long deadline = System.nanoTime() + settings.drainSeconds() * 1_000_000_000L;
        waitForDrain(drained, deadline);
        return drained.future()
                .compose(v -> front == null ? Future.<Void>succeededFuture() : vertx.executeBlocking(() -> {
                    front.close();
                    return null;
                }))
                .compose(v -> Future.all(servers.stream().map(HttpServer::close).toList()).mapEmpty());
    }

    /** How long a draining server must have had no request in flight before it closes. */
    static final long QUIET_MILLIS = 1000;

    private void waitForDrain(Promise<Void> drained, long deadline) {
        boolean quiet = inFlight.get() == 0 && System.nanoTime() - lastRequestNanos >= QUIET_MILLIS * 1_000_000L;
        if (quiet || System.nanoTime() >= deadline) {
            if (inFlight.get() > 0) {
                LOG.warn("drain timed out with {} requests in flight", inFlight.get());
            }
            drained.complete();
            return;
        }
        vertx.setTimer(20, id -> waitForDrain(drained, deadline));
    }

    private void trackInFlight(RoutingContext ctx) {
        if (draining.get()) {
            // A keep-alive client is still pinned to this stopping server (conntrack keeps its connection here
            // after the pod left the Service): answer, then close, so its next request finds a live replica.
            ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        inFlight.incrementAndGet();
        lastRequestNanos = System.nanoTime();
        ctx.addEndHandler(v -> {
            lastRequestNanos = System.nanoTime();
            inFlight.decrementAndGet();
        });
        ctx.next();
    }

    private void readiness(RoutingContext ctx) {
        boolean isReady = !draining.get() && ready.getAsBoolean();
        Responses.json(ctx, isReady ? 200 : 503, new JsonObject().put("ready", isReady).put("draining", draining.get()));
    }

    private void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (ctx.response().ended()) {
            return;
        }
        if (failure instanceof ApiException api) {
            Responses.error(ctx, api.status(), api.code(), api.getMessage());
        } else if (failure instanceof DecodeException) {
            Responses.error(ctx, 400, "bad_request", "request body: not valid JSON");
        } else if (ctx.statusCode() == 413) {
            Responses.error(ctx, 413, "too_large", "request body: larger than " + settings.maxRequestBytes() + " bytes");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            Responses.error(ctx, ctx.statusCode(), "bad_request", "bad request");
        } else {
            LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
            Responses.error(ctx, 500, "internal", "internal error");
        }
    }
}
