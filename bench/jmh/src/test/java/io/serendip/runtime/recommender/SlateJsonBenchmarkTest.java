package io.serendip.runtime.recommender;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.bench.SmallFixture;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlateJsonBenchmarkTest {

    @Test
    void decodeGivesBackTheEncodedSlate(@TempDir Path cache) {
        SmallFixture.useCache(cache);
        SlateJsonBenchmark bench = new SlateJsonBenchmark();
        bench.k = 10;
        bench.spec = SmallFixture.SPEC;
        bench.setUp();
        for (int i = 0; i < bench.slates.length; i++) {
            JsonObject slate = bench.slates[i];
            assertThat(slate.getJsonArray("items")).hasSize(10);
            assertThat(slate.getJsonObject("exploration").getInteger("slots")).isEqualTo(2);
            assertThat(bench.encode().toString()).isEqualTo(slate.encode());
        }
        // Scores are floats in the answer and doubles once decoded, so compare the JSON text.
        for (int i = 0; i < bench.slates.length; i++) {
            JsonObject decoded = bench.decode();
            assertThat(decoded.getJsonArray("items").getJsonObject(0).getValue("score")).isInstanceOf(Double.class);
            assertThat(decoded.encode()).isEqualTo(bench.slates[i].encode());
        }
    }
}
