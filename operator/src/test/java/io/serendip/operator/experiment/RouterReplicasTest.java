package io.serendip.operator.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterReplicasTest {
  @Test
  void replicasAreWaitedForOnlyWhenKnownToServeAnOlderConfigAndSummedOnlyWhenAllAnswered() throws Exception {
    String r2 = "{\"configRevision\":\"r2\",\"arms\":{\"control\":{\"requests\":10,\"errors\":1},"
        + "\"explore\":{\"requests\":5,\"impressions\":50}}}";
    String r1 = "{\"configRevision\":\"r1\",\"arms\":{\"control\":{\"requests\":7},\"explore\":{\"requests\":2,"
        + "\"impressions\":20}}}";
    var all = new RouterReplicas.Snapshot(List.of(new RouterReplicas.Replica("a", java.util.Optional.of(r2)),
        new RouterReplicas.Replica("b", java.util.Optional.of(r1))));
    assertThat(all.tally("r2")).isEqualTo(new RouterReplicas.Tally(1, 1, 0));
    assertThat(all.tally("r2").applied()).isFalse();
    Map<String, ArmCounters> summed = all.summed();
    assertThat(summed.get("control").requests()).isEqualTo(17);
    assertThat(summed.get("control").errors()).isEqualTo(1);
    assertThat(summed.get("explore").impressions()).isEqualTo(70);

    var oneSilent = new RouterReplicas.Snapshot(List.of(new RouterReplicas.Replica("a", java.util.Optional.of(r2)),
        new RouterReplicas.Replica("b", java.util.Optional.empty())));
    assertThat(oneSilent.tally("r2")).isEqualTo(new RouterReplicas.Tally(1, 0, 1));
    assertThat(oneSilent.tally("r2").applied()).as("a silent replica cannot be waited for").isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(oneSilent::summed).hasMessageContaining("router pod b");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RouterReplicas.Snapshot(List.of()).summed())
        .hasMessageContaining("no ready router pod");
    assertThat(RouterReplicas.revision("{\"arms\":{}}")).isEmpty();
    assertThat(RouterReplicas.revision("not json")).isEmpty();
  }
}
