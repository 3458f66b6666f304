package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One arm of an exploration experiment, as the router sees it. */
public record ArmSettings(
        @JsonPropertyDescription("Arm name, unique in the experiment (lower-case letters, digits and '-').")
        String name,
        @JsonPropertyDescription("True for the one control arm; traffic falls back to it when another arm fails.")
        Boolean control,
        @JsonPropertyDescription("Share of users assigned to this arm in basis points (0..10000); all arms sum to 10000.")
        Integer weightBasisPoints,
        @JsonPropertyDescription("Treatment arms: the buckets kept for this arm through a ramp, in basis points (its final"
                + " weight; default its weight). The arm fills them from their start as its weight grows, the rest"
                + " of them go to control, so a ramp moves users only from control into an arm. Ignored on control.")
        Integer reservedBasisPoints,
        @JsonPropertyDescription("Share of the slate used for exploration in this arm, 0..1.")
        Double explorationShare,
        @JsonPropertyDescription("Base URL of the arm's recommender service, e.g. http://name.ns.svc:8080.")
        String backend,
        @JsonPropertyDescription("Whether the arm's backends are ready; a not-ready arm never gets traffic.")
        Boolean ready) {

    public ArmSettings {
        control = control != null && control;
        explorationShare = explorationShare == null ? 0.0 : explorationShare;
        ready = ready == null || ready;
    }

    /** An arm whose reserved buckets are its weight (no ramp). */
    public ArmSettings(String name, Boolean control, Integer weightBasisPoints, Double explorationShare, String backend,
                       Boolean ready) {
        this(name, control, weightBasisPoints, null, explorationShare, backend, ready);
    }

    /** The buckets this arm keeps: its reserved basis points, or its weight where none are set. */
    public int reservedOrWeight() {
        return reservedBasisPoints != null ? reservedBasisPoints : weightBasisPoints;
    }

    public boolean isControl() {
        return control;
    }

    public boolean isReady() {
        return ready;
    }
}
