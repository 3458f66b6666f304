package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the router takes a request's assignment key from, and whether a header may force an arm. */
public record AssignmentSettings(
        @JsonPropertyDescription("Request header whose value is hashed instead of the body's user (e.g. a device or"
                + " session id); a request without it falls back to the body's user. Absent: the body's user.")
        String keyHeader,
        @JsonPropertyDescription("Request header that forces an arm by name (QA override). Such requests are served by"
                + " that arm and counted apart (overrides), never in the experiment's numbers. Absent: disabled.")
        String overrideHeader) {

    public static AssignmentSettings defaults() {
        return new AssignmentSettings(null, null);
    }
}
