package io.serendip.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * The typed readers every handler parses request fields with, on arbitrary JSON (decoded as
 * {@link JsonFields#object} decodes a body): each read either answers a value that keeps its contract
 * (the exact value sent, inside the bounds asked for) or throws a 400 {@link ApiException} whose message
 * starts with the field it names. Over a real socket, {@code HttpApiFuzzTest} covers the handlers.
 */
class JsonFieldsFuzzTest {
    enum Read { REQUIRED_STRING, OPTIONAL_STRING, OPTIONAL_BOOLEAN, OPTIONAL_INT, REQUIRED_ARRAY, STRING_ARRAY, INT_ARRAY }

    private static final String[] FIELDS = {"user", "history", "k", "exploration", "explorationSlots", "clusters",
        "n", "histories", "type", "items", "arm", "id"};

    @Timeout(10) // seconds per input: a slower one is a finding (libFuzzer -timeout)
    @FuzzTest(maxDuration = "5s")
    void readsKeepTheirContractOrAnswerA400NamingTheField(FuzzedDataProvider data) {
        Read read = data.pickValue(Read.values());
        String field = data.pickValue(FIELDS);
        int min = data.consumeInt(-1_000, 1_000);
        int max = data.consumeInt(min, Integer.MAX_VALUE);
        int maxSize = data.consumeInt(0, 64);
        JsonObject json;
        try {
            if (!(Json.decodeValue(Buffer.buffer(data.consumeRemainingAsBytes())) instanceof JsonObject object)) {
                return;
            }
            json = object;
        } catch (DecodeException notJson) {
            return;
        }
        Object sent = json.getValue(field);
        try {
            switch (read) {
                case REQUIRED_STRING -> assertThat(JsonFields.requiredString(json, field)).isEqualTo(sent).isNotBlank();
                case OPTIONAL_STRING -> assertThat(JsonFields.optionalString(json, field)).isEqualTo(sent);
                case OPTIONAL_BOOLEAN -> assertThat(JsonFields.optionalBoolean(json, field, true))
                        .isEqualTo(sent == null || (Boolean) sent);
                case OPTIONAL_INT -> {
                    int value = JsonFields.optionalInt(json, field, min, min, max);
                    assertThat(value).isBetween(min, max);
                    assertExactly(sent == null ? min : sent, value);
                }
                case REQUIRED_ARRAY -> assertThat(JsonFields.requiredArray(json, field)).isEqualTo(sent);
                case STRING_ARRAY -> {
                    List<String> ids = JsonFields.stringArray(json, field, maxSize, false);
                    JsonArray array = sent == null ? new JsonArray() : (JsonArray) sent;
                    assertThat(ids).hasSize(array.size()).hasSizeLessThanOrEqualTo(maxSize);
                    for (int i = 0; i < ids.size(); i++) {
                        Object entry = array.getValue(i);
                        assertThat(ids.get(i)).isEqualTo(entry instanceof String text ? text
                                : new BigDecimal(entry.toString()).toBigIntegerExact().toString());
                    }
                }
                case INT_ARRAY -> {
                    int[] values = JsonFields.intArray(json, field, maxSize, min, max);
                    JsonArray array = (JsonArray) sent;
                    assertThat(values).hasSize(array.size()).hasSizeLessThanOrEqualTo(maxSize);
                    for (int i = 0; i < values.length; i++) {
                        assertThat(values[i]).isBetween(min, max);
                        assertExactly(array.getValue(i), values[i]);
                    }
                }
            }
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.getMessage()).startsWith(field);
        }
    }

    /** The int read equals the JSON number sent, digit for digit. */
    private static void assertExactly(Object sent, int read) {
        assertThat(new BigDecimal(sent.toString())).isEqualByComparingTo(BigDecimal.valueOf(read));
    }
}
