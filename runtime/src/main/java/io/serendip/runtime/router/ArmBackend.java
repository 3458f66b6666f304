package io.serendip.runtime.router;

import io.serendip.config.ArmSettings;
import io.serendip.config.RouterSettings;
import io.serendip.runtime.server.ServingHeaders;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * One arm's backend: a pooled keep-alive HTTP client with timeouts behind a circuit breaker. It uses
 * Vert.x's core client with the request options built once, not the web client: per request that saves
 * parsing the URL and the web client's interceptor pipeline, a measurable share of a proxy's CPU.
 */
final class ArmBackend implements AutoCloseable {
    static final String RECOMMEND = "/v1/recommend";

    private final ArmSettings arm;
    private final HttpClientAgent client;
    private final CircuitBreaker breaker;
    private final RequestOptions recommend;

    /** A backend's answer: status, the whole body and its {@link ServingHeaders#SLATE} header (null when absent). */
    record Answer(int status, Buffer body, String slate) {
    }

    ArmBackend(Vertx vertx, ArmSettings arm, RouterSettings router) {
        this.arm = arm;
        URI base = URI.create(arm.backend());
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout(router.timeouts().connectMillis())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setSsl(tls);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(64));
        this.recommend = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(base.getHost())
                .setPort(base.getPort() > 0 ? base.getPort() : tls ? 443 : 80)
                .setURI(prefix + RECOMMEND)
                .setIdleTimeout(router.timeouts().requestMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "serendip-router")
                .putHeader(ServingHeaders.EXPLORATION, Double.toString(arm.explorationShare()))
                .putHeader(ServingHeaders.ARM, arm.name());
        this.breaker = new CircuitBreaker(router.circuitBreaker().failureThreshold(),
                router.circuitBreaker().openMillis(), System::nanoTime);
    }

    ArmSettings arm() {
        return arm;
    }

    boolean breakerOpen() {
        return breaker.state() == CircuitBreaker.State.OPEN;
    }

    /**
     * POSTs a recommend body to the backend, with the arm's exploration share in a header. Fails on connect
     * errors, timeouts, 5xx and an open breaker; a 4xx answer succeeds (the client's bad input, passed through).
     */
    Future<Answer> recommend(Buffer body) {
        if (!breaker.tryAcquire()) {
            return Future.failedFuture(new BackendException("circuit breaker of arm " + arm.name() + " is open"));
        }
        return client.request(recommend)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(), bytes,
                        response.getHeader(ServingHeaders.SLATE))))
                .compose(answer -> answer.status() >= 500
                        ? Future.failedFuture(new BackendException("arm " + arm.name() + " answered " + answer.status()))
                        : Future.succeededFuture(answer))
                .onSuccess(r -> breaker.onSuccess())
                .onFailure(f -> breaker.onFailure());
    }

    @Override
    public void close() {
        client.close();
    }

    static final class BackendException extends RuntimeException {
        BackendException(String message) {
            super(message, null, false, false);
        }
    }
}
