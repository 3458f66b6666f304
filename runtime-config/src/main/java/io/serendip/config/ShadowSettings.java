package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A shadow arm: a recommender that gets a mirrored share of requests and whose answers are discarded. */
public record ShadowSettings(
        @JsonPropertyDescription("Shadow arm name, unlike every arm's (lower-case letters, digits and '-').")
        String name,
        @JsonPropertyDescription("Share of recommend requests mirrored to the shadow, in basis points (1..10000).")
        Integer mirrorBasisPoints,
        @JsonPropertyDescription("Share of the shadow's slate used for exploration, 0..1.")
        Double explorationShare,
        @JsonPropertyDescription("Base URL of the shadow's recommender service.")
        String backend,
        @JsonPropertyDescription("Whether the shadow's backends are ready; nothing is mirrored to one that is not.")
        Boolean ready) {

    public ShadowSettings {
        explorationShare = explorationShare == null ? 0.0 : explorationShare;
        ready = ready == null || ready;
    }

    public boolean isReady() {
        return ready;
    }

    /** The shadow as an arm with no users of its own: the same backend client settings serve it. */
    public ArmSettings asArm() {
        return new ArmSettings(name, false, 0, explorationShare, backend, ready);
    }
}
