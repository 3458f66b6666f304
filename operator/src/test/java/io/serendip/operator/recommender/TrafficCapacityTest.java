package io.serendip.operator.recommender;

import static org.assertj.core.api.Assertions.assertThat;

import io.serendip.operator.recommender.TrafficCapacity.Use;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficCapacityTest {
  @Test
  void aRampingArmRunsItsShareRoundedUpAndAtLeastOne() {
    assertThat(TrafficCapacity.replicas(4, List.of(new Use(1250, 5000, false)))).isEqualTo(1);
    assertThat(TrafficCapacity.replicas(4, List.of(new Use(2500, 5000, false)))).isEqualTo(2);
    assertThat(TrafficCapacity.replicas(10, List.of(new Use(100, 1000, false)))).isEqualTo(1);
    assertThat(TrafficCapacity.replicas(10, List.of(new Use(110, 1000, false)))).isEqualTo(2);
    assertThat(TrafficCapacity.replicas(4, List.of(new Use(0, 5000, false)))).as("aborted: one warm pod").isEqualTo(1);
    assertThat(TrafficCapacity.replicas(4, List.of(new Use(5000, 5000, false)))).isEqualTo(4);
  }

  @Test
  void controlUnusedOrUnknownKeepsEverything() {
    assertThat(TrafficCapacity.replicas(4, List.of())).isEqualTo(4);
    assertThat(TrafficCapacity.replicas(4, List.of(new Use(0, 5000, false), new Use(10000, 5000, true)))).isEqualTo(4);
    assertThat(TrafficCapacity.replicas(4, List.of(new Use(-1, 5000, false)))).isEqualTo(4);
  }

  @Test
  void armsOfSeveralExperimentsAddUpToAtMostTheModelsBound() {
    List<Use> two = List.of(new Use(1000, 5000, false), new Use(2000, 4000, false));
    assertThat(TrafficCapacity.share(two)).isEqualTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(TrafficCapacity.replicas(10, two)).isEqualTo(7);
    assertThat(TrafficCapacity.replicas(10, List.of(new Use(5000, 5000, false), new Use(5000, 5000, false))))
        .isEqualTo(10);
  }
}
