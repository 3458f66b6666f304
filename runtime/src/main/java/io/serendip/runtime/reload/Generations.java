package io.serendip.runtime.reload;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current loaded version of something (a config with its models) that can be swapped while
 * requests run. A request {@link #acquire() leases} the current generation and releases it when
 * done; a swapped-out generation is closed only after its last lease is released, so in-flight
 * requests finish on the version they started with.
 */
public final class Generations<T extends AutoCloseable> {
    private static final Logger LOG = LoggerFactory.getLogger(Generations.class);

    private final AtomicReference<Generation<T>> current = new AtomicReference<>();
    private final AtomicInteger version = new AtomicInteger();

    /** Installs a new generation and retires the previous one (closed once its leases are gone). */
    public void swap(T value) {
        Generation<T> previous = current.getAndSet(new Generation<>(value, version.incrementAndGet()));
        if (previous != null) {
            previous.release();
        }
    }

    public boolean isLoaded() {
        return current.get() != null;
    }

    /** Current version number, 0 before the first load. */
    public int version() {
        Generation<T> g = current.get();
        return g == null ? 0 : g.version;
    }

    /** Leases the current generation; the caller must {@link Lease#close()} it. Null before the first load. */
    public Lease<T> acquire() {
        while (true) {
            Generation<T> g = current.get();
            if (g == null) {
                return null;
            }
            if (g.tryRetain()) {
                return new Lease<>(g);
            }
            // The generation was retired between get() and retain: read the new one.
        }
    }

    /** Retires the current generation (at shutdown). */
    public void close() {
        Generation<T> previous = current.getAndSet(null);
        if (previous != null) {
            previous.release();
        }
    }

    /** A held reference to one generation. */
    public static final class Lease<T extends AutoCloseable> implements AutoCloseable {
        private final Generation<T> generation;
        private boolean released;

        private Lease(Generation<T> generation) {
            this.generation = generation;
        }

        public T value() {
            return generation.value;
        }

        public int version() {
            return generation.version;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                generation.release();
            }
        }
    }

    private static final class Generation<T extends AutoCloseable> {
        final T value;
        final int version;
        // One reference belongs to the holder until the generation is swapped out.
        final AtomicInteger refs = new AtomicInteger(1);

        Generation(T value, int version) {
            this.value = value;
            this.version = version;
        }

        boolean tryRetain() {
            while (true) {
                int n = refs.get();
                if (n == 0) {
                    return false;
                }
                if (refs.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                try {
                    value.close();
                } catch (Exception e) {
                    LOG.warn("closing retired generation {} failed", version, e);
                }
            }
        }
    }
}
