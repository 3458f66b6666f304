package io.serendip.ml.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Set;

/**
 * One interaction line: {@code {"user":..., "item":..., "timestamp":..., "event":...}} or with {@code "rating"}
 * instead of (or besides) {@code event}. Timestamps are seconds (any monotonic unit works: only order matters).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Interaction(String user, String item, long timestamp, String event, Double rating) {
    /** Events that count as positive engagement. */
    public static final Set<String> POSITIVE_EVENTS = Set.of("click", "like", "positive", "play", "purchase");
    public static final Set<String> KNOWN_EVENTS = Set.of("impression", "click", "like", "skip", "positive",
            "play", "purchase");

    public Interaction {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("field 'user' is required");
        }
        if (item == null || item.isBlank()) {
            throw new IllegalArgumentException("field 'item' is required");
        }
        if (event == null && rating == null) {
            throw new IllegalArgumentException("one of the fields 'event' or 'rating' is required");
        }
        if (event != null) {
            event = event.toLowerCase(Locale.ROOT);
            if (!KNOWN_EVENTS.contains(event)) {
                throw new IllegalArgumentException("field 'event' has unknown value '" + event + "', expected one of "
                        + KNOWN_EVENTS);
            }
        }
        if (rating != null && (rating.isNaN() || rating.isInfinite())) {
            throw new IllegalArgumentException("field 'rating' must be a finite number");
        }
    }

    /** JSON entry point: like the constructor, but a missing timestamp is an error rather than 0. */
    @JsonCreator
    static Interaction fromJson(@JsonProperty("user") String user, @JsonProperty("item") String item,
                                @JsonProperty("timestamp") Long timestamp, @JsonProperty("event") String event,
                                @JsonProperty("rating") Double rating) {
        if (timestamp == null) {
            throw new IllegalArgumentException("field 'timestamp' is required");
        }
        return new Interaction(user, item, timestamp, event, rating);
    }

    public static Interaction rated(String user, String item, long timestamp, double rating) {
        return new Interaction(user, item, timestamp, null, rating);
    }

    public static Interaction event(String user, String item, long timestamp, String event) {
        return new Interaction(user, item, timestamp, event, null);
    }

    /** Positive engagement: a positive event, or a rating at or above the threshold. */
    public boolean isPositive(double ratingThreshold) {
        if (event != null) {
            return POSITIVE_EVENTS.contains(event);
        }
        return rating >= ratingThreshold;
    }
}
