package io.serendip.runtime.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GenerationsTest {
    static final class Resource implements AutoCloseable {
        final String name;
        final AtomicBoolean closed = new AtomicBoolean();

        Resource(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            assertThat(closed.getAndSet(true)).as("closed once").isFalse();
        }
    }

    @Test
    void inFlightLeasesKeepTheOldGenerationOpenUntilReleased() {
        Generations<Resource> generations = new Generations<>();
        assertThat(generations.acquire()).isNull();
        Resource first = new Resource("first");
        generations.swap(first);
        Generations.Lease<Resource> inFlight = generations.acquire();
        Resource second = new Resource("second");
        generations.swap(second);
        assertThat(first.closed).isFalse();
        assertThat(inFlight.value()).isSameAs(first);
        try (Generations.Lease<Resource> next = generations.acquire()) {
            assertThat(next.value()).isSameAs(second);
            assertThat(next.version()).isEqualTo(2);
        }
        inFlight.close();
        inFlight.close(); // idempotent
        assertThat(first.closed).isTrue();
        assertThat(second.closed).isFalse();
        generations.close();
        assertThat(second.closed).isTrue();
        assertThat(generations.acquire()).isNull();
    }

    @Test
    void aRetiredGenerationWithoutLeasesClosesAtOnce() {
        Generations<Resource> generations = new Generations<>();
        Resource first = new Resource("first");
        generations.swap(first);
        generations.swap(new Resource("second"));
        assertThat(first.closed).isTrue();
        assertThat(generations.version()).isEqualTo(2);
    }

    @Test
    void concurrentLeasesAndSwapsNeverSeeAClosedResource() throws Exception {
        Generations<Resource> generations = new Generations<>();
        generations.swap(new Resource("0"));
        AtomicBoolean sawClosed = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] readers = new Thread[2];
        for (int t = 0; t < readers.length; t++) {
            readers[t] = new Thread(() -> {
                while (!stop.get()) {
                    try (Generations.Lease<Resource> lease = generations.acquire()) {
                        if (lease.value().closed.get()) {
                            sawClosed.set(true);
                        }
                    }
                }
            });
            readers[t].start();
        }
        for (int i = 1; i <= 20_000; i++) {
            generations.swap(new Resource(Integer.toString(i)));
        }
        stop.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(sawClosed).isFalse();
        assertThat(generations.version()).isEqualTo(20_001);
    }
}
