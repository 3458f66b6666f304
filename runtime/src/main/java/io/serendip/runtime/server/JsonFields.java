package io.serendip.runtime.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RequestBody;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of JSON request fields; every failure is a 400 that names the field. */
public final class JsonFields {
    private JsonFields() {
    }

    /** The request body as a JSON object, or 400 when it is missing, not JSON or not an object. */
    public static JsonObject object(RequestBody body) {
        return object(body == null ? null : body.buffer());
    }

    /** {@link #object(RequestBody)} on the body's bytes. */
    public static JsonObject object(Buffer body) {
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest("request body: a JSON object is required");
        }
        Object value;
        try {
            value = io.vertx.core.json.Json.decodeValue(body);
        } catch (DecodeException e) {
            throw ApiException.badRequest("request body: not valid JSON");
        }
        if (!(value instanceof JsonObject object)) {
            throw ApiException.badRequest("request body: must be a JSON object");
        }
        return object;
    }

    public static String requiredString(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (value == null) {
            throw ApiException.badRequest(field + ": is required");
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw ApiException.badRequest(field + ": must be a non-empty string");
        }
        return text;
    }

    public static String optionalString(JsonObject json, String field) {
        return json.getValue(field) == null ? null : requiredString(json, field);
    }

    public static boolean optionalBoolean(JsonObject json, String field, boolean fallback) {
        Object value = json.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean flag)) {
            throw ApiException.badRequest(field + ": must be true or false");
        }
        return flag;
    }

    /** An integer in [min, max]; absent gives the fallback. */
    public static int optionalInt(JsonObject json, String field, int fallback, int min, int max) {
        Object value = json.getValue(field);
        if (value == null) {
            return fallback;
        }
        return bounded(value, field, min, max);
    }

    public static JsonArray requiredArray(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (value == null) {
            throw ApiException.badRequest(field + ": is required");
        }
        if (!(value instanceof JsonArray array)) {
            throw ApiException.badRequest(field + ": must be an array");
        }
        return array;
    }

    /** An array of strings (integer numbers are accepted and read as their exact decimal text), at most maxSize long. */
    public static List<String> stringArray(JsonObject json, String field, int maxSize, boolean required) {
        if (!required && json.getValue(field) == null) {
            return List.of();
        }
        JsonArray array = requiredArray(json, field);
        if (array.size() > maxSize) {
            throw ApiException.badRequest(field + ": at most " + maxSize + " entries allowed (got " + array.size() + ")");
        }
        List<String> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            Object value = array.getValue(i);
            BigInteger number = integer(value);
            if (value instanceof String text && !text.isBlank()) {
                out.add(text);
            } else if (number != null) {
                out.add(number.toString());
            } else {
                throw ApiException.badRequest(field + "[" + i + "]: must be a non-empty string id");
            }
        }
        return out;
    }

    /** An array of integers in [min, max], at most maxSize long. */
    public static int[] intArray(JsonObject json, String field, int maxSize, int min, int max) {
        return intArray(requiredArray(json, field), field, maxSize, min, max);
    }

    /** The integers of an array in [min, max], at most maxSize; errors name {@code field}. */
    public static int[] intArray(JsonArray array, String field, int maxSize, int min, int max) {
        if (array.size() > maxSize) {
            throw ApiException.badRequest(field + ": at most " + maxSize + " entries allowed (got " + array.size() + ")");
        }
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bounded(array.getValue(i), field + "[" + i + "]", min, max);
        }
        return out;
    }

    /** An integer in [min, max], or 400 naming {@code field}. */
    private static int bounded(Object value, String field, int min, int max) {
        BigInteger n = integer(value);
        if (n == null) {
            throw ApiException.badRequest(field + ": must be an integer");
        }
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw ApiException.badRequest(field + ": must be between " + min + " and " + max + " (got " + n + ")");
        }
        return n.intValue();
    }

    /**
     * The exact value of a JSON number that is an integer (2.0 and 1e3 are; 2.5 and an overflowing 1e999 are
     * not), or null. Exact, so that 18446744073709551621 is not read as 5 nor 1e20 as Long.MAX_VALUE.
     */
    private static BigInteger integer(Object value) {
        if (value instanceof BigInteger big) {
            return big;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof Number number && Double.isFinite(number.doubleValue())
                && number.doubleValue() == Math.rint(number.doubleValue())) {
            return BigDecimal.valueOf(number.doubleValue()).toBigInteger();
        }
        return null;
    }
}
