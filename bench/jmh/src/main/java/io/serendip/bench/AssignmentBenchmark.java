package io.serendip.bench;

import io.serendip.config.ArmSettings;
import io.serendip.runtime.router.ArmAssigner;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The router's user-to-arm assignment, {@link ArmAssigner#assign}: SHA-256 of (salt, user key), bucket in
 * [0, 10000), arm lookup. Two arms split 50/50; each call takes the next of 4,096 random user keys.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AssignmentBenchmark {
    private static final int KEYS = 4096;
    private static final String SALT = "exp-salt";

    private ArmAssigner assigner;
    private String[] keys;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        assigner = new ArmAssigner(List.of(
                new ArmSettings("control", true, 5000, 0.0, "http://127.0.0.1:8081", true),
                new ArmSettings("explore", false, 5000, 0.2, "http://127.0.0.1:8082", true)));
        SplittableRandom random = new SplittableRandom(42);
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "user-" + random.nextInt(100_000_000);
        }
    }

    @Benchmark
    public ArmSettings assign() {
        String key = keys[next];
        next = (next + 1) & (KEYS - 1);
        return assigner.assign(SALT, key);
    }
}
