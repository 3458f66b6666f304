package io.serendip.runtime.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.serendip.runtime.server.ApiException;
import io.serendip.runtime.server.JsonFields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecommendRequestScanTest {
    static final int MAX_HISTORY = 3;

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"user\":\"u1\",\"history\":[\"1\",\"2\"]}",
        "{\"history\":[\"1\"],\"k\":5,\"user\":\"u1\",\"extra\":{\"deep\":[1,[2,{\"user\":\"nested\"}]]}}",
        "{\"user\":\"first\",\"user\":\"u1\"}",
        "{\"user\":\"u1\",\"history\":[1, 2.0, 1e2]}",
        "{\"user\":\"u1\",\"history\":null}",
        "{\"user\":\"u1\",\"history\":[\"a\",\"b\",\"c\",\"d\"],\"history\":[\"a\"]}",
        "  {\"user\" : \"u1\"}  \n",
        "{\"user\":\"u1\" /* Vert.x's parser allows comments */}",
    })
    void acceptsWhatTheTreeReaderAcceptsAndFindsTheUser(String body) {
        assertThat(RecommendRequestScan.user(Buffer.buffer(body), MAX_HISTORY)).isEqualTo("u1").isEqualTo(reference(body));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                                             | request body: a JSON object is required",
        "{nope                                          | request body: not valid JSON",
        "`   `                                          | request body: not valid JSON",
        "{\"user\":\"u1\"} trailing                      | request body: not valid JSON",
        "[1,2]                                          | request body: must be a JSON object",
        "\"u1\"                                         | request body: must be a JSON object",
        "{}                                             | user: is required",
        "{\"user\":null}                                | user: is required",
        "{\"user\":\"  \"}                              | user: must be a non-empty string",
        "{\"user\":[\"u1\"]}                            | user: must be a non-empty string",
        "{\"history\":5,\"user\":7}                     | user: must be a non-empty string",
        "{\"user\":\"u1\",\"history\":\"1\"}            | history: must be an array",
        "{\"user\":\"u1\",\"history\":[\"1\",null]}     | history[1]: must be a non-empty string id",
        "{\"user\":\"u1\",\"history\":[2.5]}            | history[0]: must be a non-empty string id",
        "{\"user\":\"u1\",\"history\":[1e999]}          | history[0]: must be a non-empty string id",
        "{\"user\":\"u1\",\"history\":[{}, \"x\"]}      | history[0]: must be a non-empty string id",
        "{\"user\":\"u1\",\"history\":[\"a\",[],\"c\",\"d\"]} | history: at most 3 entries allowed (got 4)",
    })
    void refusesWhatTheTreeReaderRefusesWithItsMessage(String body, String message) {
        String json = body.replace("\\\"", "\"");
        assertThatThrownBy(() -> RecommendRequestScan.user(Buffer.buffer(json), MAX_HISTORY))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage(message);
        assertThatThrownBy(() -> reference(json)).hasMessage(message);
    }

    @org.junit.jupiter.api.Test
    void aTooLongUserKeyIsRefused() {
        String body = new JsonObject().put("user", "u".repeat(RouterServer.MAX_USER_KEY + 1)).encode();
        assertThatThrownBy(() -> RecommendRequestScan.user(Buffer.buffer(body), MAX_HISTORY))
                .hasMessage("user: at most " + RouterServer.MAX_USER_KEY + " characters");
    }

    /** What the router read before the scan: the body decoded into a tree, then the typed readers. */
    static String reference(String body) {
        JsonObject json = JsonFields.object(Buffer.buffer(body));
        String user = RouterServer.userKey(json);
        JsonFields.stringArray(json, "history", MAX_HISTORY, false);
        return user;
    }
}
