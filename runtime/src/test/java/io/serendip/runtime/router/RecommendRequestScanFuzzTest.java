package io.serendip.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.serendip.runtime.server.ApiException;
import io.serendip.runtime.server.JsonFields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Timeout;

/**
 * Differential: on any bytes, the router's streaming scan and the tree reader it replaced (decode into a
 * {@link JsonObject}, then {@link JsonFields}) agree: the same user key, or a 400 with the same message.
 */
class RecommendRequestScanFuzzTest {
    @Timeout(10)
    @FuzzTest(maxDuration = "5s")
    @DictionaryEntries({"\"user\"", "\"history\"", "null", "[", "]", "{", "}", ",", ":", "1e999", "2.0", "\" \"", "/*", "*/"})
    void scanAgreesWithTheTreeReader(FuzzedDataProvider data) {
        int maxHistory = data.consumeInt(0, 8);
        byte[] body = data.consumeRemainingAsBytes();
        String expected;
        String expectedError = null;
        try {
            JsonObject json = JsonFields.object(Buffer.buffer(body));
            expected = RouterServer.userKey(json);
            JsonFields.stringArray(json, "history", maxHistory, false);
        } catch (ApiException refused) {
            expected = null;
            expectedError = refused.getMessage();
        }
        try {
            String user = RecommendRequestScan.user(Buffer.buffer(body), maxHistory);
            assertThat(expectedError).as("the tree reader refused it").isNull();
            assertThat(user).isEqualTo(expected);
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.getMessage()).isEqualTo(expectedError);
        }
    }
}
