package io.serendip.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {
    @Test
    void numericIdsAreTheirExactDecimalText() {
        JsonObject body = new JsonObject("{\"history\":[42, 2.0, 1e20, 1e42, 18446744073709551621]}");
        assertThat(JsonFields.stringArray(body, "history", 10, true))
                .containsExactly("42", "2", "100000000000000000000", "1" + "0".repeat(42), "18446744073709551621");
    }

    @Test
    void numbersThatAreNoIntegerAreRefusedAsIds() {
        for (String entry : new String[] {"1e999", "2.5", "-1e999"}) {
            JsonObject body = new JsonObject("{\"history\":[\"m1\", " + entry + "]}");
            assertThatThrownBy(() -> JsonFields.stringArray(body, "history", 10, true)).isInstanceOf(ApiException.class)
                    .hasMessage("history[1]: must be a non-empty string id");
        }
    }

    @Test
    void integersBeyondALongAreOutOfRangeNotWrappedAround() {
        // 2^64 + 5 and 2^64 + 1 used to be read as 5 and 1 (their low 64 bits).
        JsonObject k = new JsonObject("{\"k\":18446744073709551621}");
        assertThatThrownBy(() -> JsonFields.optionalInt(k, "k", 10, 1, 1000))
                .hasMessage("k: must be between 1 and 1000 (got 18446744073709551621)");
        JsonObject clusters = new JsonObject("{\"clusters\":[0, 18446744073709551617]}");
        assertThatThrownBy(() -> JsonFields.intArray(clusters, "clusters", 10, 0, 5))
                .hasMessage("clusters[1]: must be between 0 and 5 (got 18446744073709551617)");
        assertThat(JsonFields.intArray(new JsonObject("{\"clusters\":[0, 3.0, 4]}"), "clusters", 10, 0, 5))
                .containsExactly(0, 3, 4);
        assertThatThrownBy(() -> JsonFields.optionalInt(new JsonObject("{\"k\":1e999}"), "k", 10, 1, 1000))
                .hasMessage("k: must be an integer");
    }
}
