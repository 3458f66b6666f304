package io.serendip.runtime.router;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.serendip.runtime.server.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;

/**
 * What the router needs from a {@code POST /v1/recommend} body, read with one streaming pass and no
 * object tree: the user key, and the checks the router owes before it forwards the body untouched
 * (it is a JSON object; {@code user} a non-empty string of at most {@value RouterServer#MAX_USER_KEY}
 * characters; {@code history}, when present, at most maxHistory non-empty string or integer ids).
 *
 * <p>It accepts and refuses exactly what decoding the body into a {@code JsonObject} and reading it with
 * {@code JsonFields} does, with the same messages: the same Jackson parser settings (Vert.x's), the last
 * of duplicate keys wins, a body error before a {@code user} error before a {@code history} error.
 */
final class RecommendRequestScan {
    private RecommendRequestScan() {
    }

    /** The body's user key, or a 400 {@link ApiException} naming what is wrong. */
    static String user(Buffer body, int maxHistory) {
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest("request body: a JSON object is required");
        }
        String user = null;
        String userError = "user: is required";
        String historyError = null;
        try (JsonParser parser = JacksonCodec.createParser(body)) {
            JsonToken root = parser.nextToken();
            if (root == null) {
                throw notJson();
            }
            if (root != JsonToken.START_OBJECT) {
                parser.skipChildren();
                requireEnd(parser);
                throw ApiException.badRequest("request body: must be a JSON object");
            }
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("user".equals(field)) {
                    user = null;
                    userError = userProblem(parser, value);
                    if (userError == null) {
                        user = parser.getText();
                    }
                } else if ("history".equals(field)) {
                    historyError = historyProblem(parser, value, maxHistory);
                } else {
                    parser.skipChildren();
                }
            }
            requireEnd(parser);
        } catch (IOException | DecodeException e) { // DecodeException: bytes in no JSON encoding, from createParser
            throw notJson();
        }
        if (userError != null) {
            throw ApiException.badRequest(userError);
        }
        if (historyError != null) {
            throw ApiException.badRequest(historyError);
        }
        return user;
    }

    private static String userProblem(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return "user: is required";
        }
        if (value != JsonToken.VALUE_STRING) {
            parser.skipChildren();
            return "user: must be a non-empty string";
        }
        String text = parser.getText();
        if (text.isBlank()) {
            return "user: must be a non-empty string";
        }
        if (text.length() > RouterServer.MAX_USER_KEY) {
            return "user: at most " + RouterServer.MAX_USER_KEY + " characters";
        }
        return null;
    }

    /** Reads the whole value (a JsonObject decode would too): the size check comes before an entry's. */
    private static String historyProblem(JsonParser parser, JsonToken value, int maxHistory) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return "history: must be an array";
        }
        int size = 0;
        String firstBadEntry = null;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (firstBadEntry == null && !isId(parser, t)) {
                firstBadEntry = "history[" + size + "]: must be a non-empty string id";
            }
            parser.skipChildren();
            size++;
        }
        if (size > maxHistory) {
            return "history: at most " + maxHistory + " entries allowed (got " + size + ")";
        }
        return firstBadEntry;
    }

    /** A non-blank string, or a number with an integer value (2, 2.0, 1e3; not 2.5 nor an overflowing 1e999). */
    private static boolean isId(JsonParser parser, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> !parser.getText().isBlank();
            case VALUE_NUMBER_INT -> true;
            case VALUE_NUMBER_FLOAT -> {
                double d = parser.getDoubleValue();
                yield Double.isFinite(d) && d == Math.rint(d);
            }
            default -> false;
        };
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw notJson();
        }
    }

    private static ApiException notJson() {
        return ApiException.badRequest("request body: not valid JSON");
    }
}
