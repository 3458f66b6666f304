package io.serendip.runtime.router;

import java.util.function.LongSupplier;

/**
 * Consecutive-failure circuit breaker. Closed: calls pass. After {@code failureThreshold}
 * consecutive failures it opens and refuses calls for {@code openMillis}; then one trial call
 * passes (half-open): success closes it, failure opens it again.
 */
final class CircuitBreaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final long openNanos;
    private final LongSupplier nanoClock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;

    CircuitBreaker(int failureThreshold, long openMillis, LongSupplier nanoClock) {
        this.failureThreshold = failureThreshold;
        this.openNanos = openMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /** Whether a call may go through now; an expired open breaker lets exactly one trial through. */
    synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (nanoClock.getAsLong() - openedAt >= openNanos) {
                    state = State.HALF_OPEN;
                    return true;
                }
                return false;
            default:
                return false; // a trial is already in flight
        }
    }

    synchronized void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
    }

    synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
            state = State.OPEN;
            openedAt = nanoClock.getAsLong();
        }
    }

    synchronized State state() {
        return state;
    }
}
