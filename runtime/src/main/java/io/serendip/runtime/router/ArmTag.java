package io.serendip.runtime.router;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Adds {@code "arm"}, {@code "assignedArm"} and {@code "requestId"} to a backend's JSON object answer without decoding
 * it: the members go in just before the closing brace, so they are the last of their names (and win for a reader that
 * keeps the last of duplicate keys, as Jackson and JavaScript do).
 */
final class ArmTag {
    private ArmTag() {
    }

    /**
     * A new buffer (from {@code alloc}) with the body's bytes and the members added, or null when the body does not
     * look like one JSON object. The body is not consumed.
     */
    static ByteBuf tag(ByteBuf body, String arm, String assignedArm, String requestId, ByteBufAllocator alloc) {
        if (!isObject(body)) {
            return null;
        }
        int close = lastNonSpace(body);
        boolean empty = lastNonSpaceBefore(body, close) == firstNonSpace(body);
        // request ids are base64url and '.', nothing to quote
        byte[] members = ((empty ? "" : ",") + "\"arm\":\"" + quote(arm) + "\",\"assignedArm\":\"" + quote(assignedArm)
                + "\",\"requestId\":\"" + requestId + "\"}").getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(close + members.length)
                .writeBytes(body, body.readerIndex(), close)
                .writeBytes(members);
    }

    /** True when the body looks like one JSON object (the check {@link #tag} makes), for answers passed as is. */
    static boolean isObject(ByteBuf body) {
        int open = firstNonSpace(body);
        int close = lastNonSpace(body);
        return open >= 0 && close > open && at(body, open) == '{' && at(body, close) == '}';
    }

    private static String quote(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    private static byte at(ByteBuf body, int index) {
        return body.getByte(body.readerIndex() + index);
    }

    private static int firstNonSpace(ByteBuf body) {
        for (int i = 0; body != null && i < body.readableBytes(); i++) {
            if (!isSpace(at(body, i))) {
                return i;
            }
        }
        return -1;
    }

    private static int lastNonSpace(ByteBuf body) {
        return body == null ? -1 : lastNonSpaceBefore(body, body.readableBytes());
    }

    private static int lastNonSpaceBefore(ByteBuf body, int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (!isSpace(at(body, i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
