package io.serendip.config;

import java.util.ArrayList;
import java.util.List;

/** Accumulates "path: message" strings: what every config validator returns. */
final class FieldErrors {
    final List<String> list = new ArrayList<>();

    void add(String path, String message) {
        list.add(path + ": " + message);
    }

    void required(String path, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            add(path, "is required");
        }
    }

    void range(String path, int value, int min, int max) {
        if (value < min || value > max) {
            add(path, "must be between " + min + " and " + max + " (got " + value + ")");
        }
    }

    /** A value that may be left out (then the job's default applies); when present, within range. */
    void optionalRange(String path, Number value, double min, double max) {
        if (value != null && !(value.doubleValue() >= min && value.doubleValue() <= max)) {
            add(path, "must be between " + format(min) + " and " + format(max) + " (got " + value + ")");
        }
    }

    void share(String path, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            add(path, "must be between 0 and 1 (got " + value + ")");
        }
    }

    /** An absolute path inside the pod (artifact and dataset locations). */
    void absolutePath(String path, String value) {
        required(path, value);
        if (value != null && !value.isBlank() && !value.startsWith("/")) {
            add(path, "must be an absolute path (got " + value + ")");
        }
    }

    void optionalAbsolutePath(String path, String value) {
        if (value != null) {
            absolutePath(path, value);
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
