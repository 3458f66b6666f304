package io.serendip.runtime.recommender;

import io.serendip.bench.ServingFixture;
import io.serendip.ml.artifact.ItemIndex;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.codec.impl.BodyCodecImpl;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JSON of a recommender slate. The slates are the recommender server's own answers ({@link RecommenderServer#answer},
 * reached from this package because it is package-private) for generated users against the benchmark fixture, with
 * the default exploration share. {@code encode}: the slate object to response bytes, as {@code Responses.json}
 * writes it ({@link JsonObject#toBuffer}). {@code decode}: response bytes back to an object with the decoder the A/B
 * router's web client applies to a backend's body ({@code HttpResponse.bodyAsJsonObject}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SlateJsonBenchmark {
    private static final int SLATES = 64;

    /** Slate size. */
    @Param("10")
    public int k;

    /** The artifacts to build or load (tests use a smaller one). */
    ServingFixture.Spec spec = ServingFixture.Spec.DEFAULT;
    JsonObject[] slates;
    private Buffer[] bodies;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        List<int[]> sequences = ServingFixture.dataset(spec.items(), spec.clusters(), spec.users(), spec.seed())
                .positiveSequences().sequences();
        slates = new JsonObject[SLATES];
        bodies = new Buffer[SLATES];
        try (RecommenderModels models = ServingFixture.load(spec)) {
            ItemIndex items = models.clusters().items();
            for (int u = 0; u < SLATES; u++) {
                List<String> history = Arrays.stream(sequences.get(u)).mapToObj(items::idOf).toList();
                slates[u] = RecommenderServer.answer(models, new RecommenderServer.Request("user-" + u, history, k, null, null));
                bodies[u] = slates[u].toBuffer();
            }
        }
        System.err.printf("slate JSON: %d bytes on average%n", Arrays.stream(bodies).mapToInt(Buffer::length).sum() / SLATES);
    }

    @Benchmark
    public Buffer encode() {
        JsonObject slate = slates[next];
        next = (next + 1) % SLATES;
        return slate.toBuffer();
    }

    @Benchmark
    public JsonObject decode() {
        Buffer body = bodies[next];
        next = (next + 1) % SLATES;
        return BodyCodecImpl.JSON_OBJECT_DECODER.apply(body);
    }
}
