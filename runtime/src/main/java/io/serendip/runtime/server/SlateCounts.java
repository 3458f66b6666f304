package io.serendip.runtime.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What a recommend answer showed: its items, the explored ones, and the explored ones that were novel. The recommender
 * sends them in the {@link ServingHeaders#SLATE} header ({@code items=10;explored=3;novel=2}), so the router counts
 * impressions from the slates it returned without parsing their bodies.
 */
public record SlateCounts(int items, int explored, int novel) {
    private static final int MAX_ITEMS = 100_000;

    /** The header's value. */
    public String header() {
        return "items=" + items + ";explored=" + explored + ";novel=" + novel;
    }

    /**
     * Reads {@link #header()}'s format; empty when the value is absent or not one (counts out of order or range).
     * A scan without splitting or substrings: the router reads it on every answer.
     */
    public static Optional<SlateCounts> ofHeader(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int items = -1;
        int explored = -1;
        int novel = -1;
        int i = 0;
        int n = value.length();
        while (i < n) {
            int eq = value.indexOf('=', i);
            int end = value.indexOf(';', i);
            end = end < 0 ? n : end;
            if (eq < 0 || eq > end) {
                return Optional.empty();
            }
            long number = number(value, eq + 1, end);
            if (number < 0) {
                return Optional.empty();
            }
            if (named(value, i, eq, "items")) {
                items = (int) number;
            } else if (named(value, i, eq, "explored")) {
                explored = (int) number;
            } else if (named(value, i, eq, "novel")) {
                novel = (int) number;
            } // else a later version's field
            i = end + 1;
        }
        boolean consistent = items >= 0 && items <= MAX_ITEMS && explored >= 0 && explored <= items && novel >= 0
                && novel <= explored;
        return consistent ? Optional.of(new SlateCounts(items, explored, novel)) : Optional.empty();
    }

    /** The decimal number in {@code text[from, to)} between optional spaces, or -1 (none, or above an int). */
    private static long number(String text, int from, int to) {
        while (from < to && text.charAt(from) == ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) == ' ') {
            to--;
        }
        if (from == to || to - from > 9) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Whether {@code text[from, to)}, spaces around it ignored, is {@code name}. */
    private static boolean named(String text, int from, int to, String name) {
        while (from < to && text.charAt(from) == ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) == ' ') {
            to--;
        }
        return to - from == name.length() && text.regionMatches(from, name, 0, name.length());
    }

    /** Read from a recommender's answer ({@code items[].explored}, {@code items[].novel}); empty when it is not one. */
    public static Optional<SlateCounts> ofBody(Buffer body) {
        try {
            JsonArray items = new JsonObject(body).getJsonArray("items");
            if (items == null) {
                return Optional.empty();
            }
            int explored = 0;
            int novel = 0;
            for (int i = 0; i < items.size(); i++) {
                if (items.getValue(i) instanceof JsonObject item && Boolean.TRUE.equals(item.getValue("explored"))) {
                    explored++;
                    novel += Boolean.TRUE.equals(item.getValue("novel")) ? 1 : 0;
                }
            }
            return Optional.of(new SlateCounts(items.size(), explored, novel));
        } catch (DecodeException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
