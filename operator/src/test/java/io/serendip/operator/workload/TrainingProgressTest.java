package io.serendip.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress lines of the three trainers, as their Jobs print them, read back. */
class TrainingProgressTest {
  @Test
  void theJavaTrainersEpochLine() {
    List<String> log = List.of(
        "[train-recommender] training on 943 users, 1682 items, 20000 windows",
        "[train-recommender] epoch 1/4 loss 6.1234 validation 0.0312 (best)",
        "[train-recommender] epoch 2/4 loss 5.8000 validation 0.0450 (best)");
    TrainingProgress p = TrainingProgress.last(log).orElseThrow();
    assertThat(p.epoch()).isEqualTo(2);
    assertThat(p.epochs()).isEqualTo(4);
    assertThat(p.fraction()).isEqualTo(0.5);
    assertThat(p.loss()).isEqualTo(5.8);
    assertThat(p.validation()).isEqualTo(0.045);
    // half done in 10 minutes: at most 10 more at that pace
    assertThat(p.timeLeft(Duration.ofMinutes(10))).contains(Duration.ofMinutes(10));
  }

  @Test
  void theLlmComponentsStepLineCountsStepsWithinTheEpoch() {
    List<String> log = List.of(
        "[train-interest-model] epoch 0: validation loss 3.2100",
        "[train-interest-model] epoch 1/2 step 10/40 loss 2.3456 (0.52 s/step, about 0.6 min left)",
        "[train-interest-model] some other line");
    TrainingProgress p = TrainingProgress.last(log).orElseThrow();
    assertThat(p.epoch()).isEqualTo(1);
    assertThat(p.fraction()).isEqualTo(0.125);
    assertThat(p.loss()).isEqualTo(2.3456);
    assertThat(p.validation()).isNull();
    assertThat(p.timeLeft(Duration.ofSeconds(60))).contains(Duration.ofSeconds(420));
  }

  @Test
  void linesThatAreNotProgressAreNot() {
    assertThat(TrainingProgress.last(List.of("epoch 3 loss 1.0", "epoch 5/4 loss 1.0", "epoch 1/0 loss 2.0",
        "best epoch 3: valid NDCG@10 0.1", "epoch 1/2 loss NaN: training diverged"))).isEmpty();
    assertThat(TrainingProgress.last(List.of())).isEmpty();
  }
}
