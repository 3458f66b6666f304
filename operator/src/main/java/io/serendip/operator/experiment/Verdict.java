package io.serendip.operator.experiment;

/** Outcome of judging the guardrails once. */
public record Verdict(Kind kind, String message) {
  /** What the rollout does with it: advance, hold, or abort. */
  public enum Kind {
    /** No guardrails configured: steps advance on time alone. */
    NOT_CONFIGURED,
    PASS,
    /** Too few samples, or metrics unreadable: hold the current step. */
    HOLD,
    BREACH
  }

  public static Verdict notConfigured() {
    return new Verdict(Kind.NOT_CONFIGURED, "");
  }

  public static Verdict pass(String message) {
    return new Verdict(Kind.PASS, message);
  }

  public static Verdict hold(String message) {
    return new Verdict(Kind.HOLD, message);
  }

  public static Verdict breach(String message) {
    return new Verdict(Kind.BREACH, message);
  }

  public boolean allowsAdvance() {
    return kind == Kind.PASS || kind == Kind.NOT_CONFIGURED;
  }
}
