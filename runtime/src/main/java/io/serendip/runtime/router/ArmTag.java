package io.serendip.runtime.router;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Adds {@code "arm"}, {@code "assignedArm"} and {@code "requestId"} to a backend's JSON object answer without decoding
 * it: the members go in just before the closing brace, so they are the last of their names (and win for a reader that
 * keeps the last of duplicate keys, as Jackson and JavaScript do).
 */
final class ArmTag {
    private ArmTag() {
    }

    /** The body with the members added, or null when it does not look like one JSON object. */
    static Buffer tag(Buffer body, String arm, String assignedArm, String requestId) {
        if (!isObject(body)) {
            return null;
        }
        int close = lastNonSpace(body);
        boolean empty = lastNonSpaceBefore(body, close) == firstNonSpace(body);
        // request ids are base64url and '.', nothing to quote
        byte[] members = ((empty ? "" : ",") + "\"arm\":\"" + quote(arm) + "\",\"assignedArm\":\"" + quote(assignedArm)
                + "\",\"requestId\":\"" + requestId + "\"}").getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(close + members.length).appendBuffer(body, 0, close).appendBytes(members);
    }

    /** True when the body looks like one JSON object (the check {@link #tag} makes), for answers passed as is. */
    static boolean isObject(Buffer body) {
        int open = firstNonSpace(body);
        int close = lastNonSpace(body);
        return open >= 0 && close > open && body.getByte(open) == '{' && body.getByte(close) == '}';
    }

    private static String quote(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    private static int firstNonSpace(Buffer body) {
        for (int i = 0; body != null && i < body.length(); i++) {
            if (!isSpace(body.getByte(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int lastNonSpace(Buffer body) {
        return body == null ? -1 : lastNonSpaceBefore(body, body.length());
    }

    private static int lastNonSpaceBefore(Buffer body, int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (!isSpace(body.getByte(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
