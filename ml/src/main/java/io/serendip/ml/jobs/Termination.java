package io.serendip.ml.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * SIGTERM as a request, not an exit: what the kubelet sends a pod that is evicted, preempted or deleted. The JVM's
 * own handler would run the shutdown hooks, among them DJL's, which free native tensors while the training thread
 * still uses them (libtorch then crashes with SIGSEGV, exit 134, and nothing is kept). Here the signal only sets a
 * flag: a training loop sees it at its next step, keeps its checkpoint and ends with {@link #EXIT_CODE}; a child
 * process (the LLM component) is sent SIGTERM in turn and does the same. Whatever does not end by itself within the
 * grace period is halted (no shutdown hooks, no half-written output: outputs are published by an atomic move).
 */
public final class Termination {
    /** 128 + SIGTERM: what a shell reports for a process ended by SIGTERM. */
    public static final int EXIT_CODE = 143;
    /** Below Kubernetes' default terminationGracePeriodSeconds (30), which ends in SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(20);

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();
    private static volatile boolean requested;

    private Termination() {
    }

    /** Takes over SIGTERM for this JVM (once; later calls do nothing). */
    public static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        try {
            Signal.handle(new Signal("TERM"), signal -> request());
        } catch (IllegalArgumentException e) {
            INSTALLED.set(false); // no SIGTERM here (or the JVM keeps it): the default behaviour stays
        }
    }

    static void request() {
        if (requested) {
            return;
        }
        requested = true;
        LISTENERS.forEach(Runnable::run);
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(GRACE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("terminated: did not end within " + GRACE.toSeconds() + " s of SIGTERM; halting");
            Runtime.getRuntime().halt(EXIT_CODE);
        }, "serendip-termination-grace");
        halt.setDaemon(true);
        halt.start();
    }

    public static boolean requested() {
        return requested;
    }

    /** Throws {@link Terminated} once SIGTERM came: called by training loops between steps. */
    public static void check(String where) {
        if (requested) {
            throw new Terminated("terminated by SIGTERM " + where);
        }
    }

    /** Runs {@code action} on SIGTERM while the returned handle is open (e.g. to pass the signal to a child). */
    public static AutoCloseable onTerminate(Runnable action) {
        LISTENERS.add(action);
        if (requested) {
            action.run();
        }
        return () -> LISTENERS.remove(action);
    }

    /** The job stopped because SIGTERM came; its checkpoint (if it keeps one) lets the next run resume. */
    public static final class Terminated extends RuntimeException {
        public Terminated(String message) {
            super(message, null, false, false);
        }
    }
}
