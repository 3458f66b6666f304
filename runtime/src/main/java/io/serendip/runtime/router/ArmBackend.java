package io.serendip.runtime.router;

import io.serendip.config.ArmSettings;
import io.serendip.config.RouterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** One arm's backend: a pooled HTTP client with timeouts behind a circuit breaker. */
final class ArmBackend implements AutoCloseable {
    private final ArmSettings arm;
    private final String baseUrl;
    private final WebClient client;
    private final CircuitBreaker breaker;
    private final int requestMillis;

    ArmBackend(Vertx vertx, ArmSettings arm, RouterSettings router) {
        this.arm = arm;
        this.baseUrl = arm.backend().endsWith("/") ? arm.backend().substring(0, arm.backend().length() - 1) : arm.backend();
        this.requestMillis = router.timeouts().requestMillis();
        WebClientOptions options = new WebClientOptions()
                .setConnectTimeout(router.timeouts().connectMillis())
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setUserAgent("serendip-router");
        this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(64));
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
     * POSTs JSON to the backend. Fails on connect errors, timeouts, 5xx and an open breaker; a 4xx
     * answer succeeds (it is the client's bad input, passed through).
     */
    Future<HttpResponse<Buffer>> post(String path, JsonObject body) {
        if (!breaker.tryAcquire()) {
            return Future.failedFuture(new BackendException("circuit breaker of arm " + arm.name() + " is open"));
        }
        return client.postAbs(baseUrl + path)
                .timeout(requestMillis)
                .sendJsonObject(body)
                .compose(response -> response.statusCode() >= 500
                        ? Future.failedFuture(new BackendException("arm " + arm.name() + " answered " + response.statusCode()))
                        : Future.succeededFuture(response))
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
