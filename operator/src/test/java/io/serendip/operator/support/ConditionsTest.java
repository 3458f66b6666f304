package io.serendip.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Instant T0 = Instant.parse("2026-11-22T21:00:00Z");

  @Test
  void unchangedStatusKeepsTransitionTimeSoRecomputingIsIdentical() {
    var first = new Conditions(List.of(), 3, T0).set("Ready", true, "Available", "1/1").build();
    var again = new Conditions(first, 3, T0.plusSeconds(60)).set("Ready", true, "Available", "1/1").build();
    assertThat(again).isEqualTo(first);
    assertThat(again.get(0).getLastTransitionTime()).isEqualTo(T0.toString());
  }

  @Test
  void flipMovesTransitionTimeAndConditionsAreSortedByType() {
    var first = new Conditions(List.of(), 1, T0).set("Ready", true, "A", "").set("Reconciling", false, "A", "").build();
    var flipped = new Conditions(first, 2, T0.plusSeconds(5)).set("Reconciling", true, "B", "x").set("Ready", false, "B", "x").build();
    assertThat(flipped).extracting(c -> c.getType()).containsExactly("Ready", "Reconciling");
    assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo(T0.plusSeconds(5).toString());
    assertThat(flipped.get(0).getObservedGeneration()).isEqualTo(2L);
  }
}
