package io.serendip.operator.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StepWindowTest {
  private static final List<String> ARMS = List.of("control", "explore");

  private static ArmCounters counters(long requests, long impressions, long positive) {
    return new ArmCounters(requests, 0, impressions, 0, positive, 0, 0);
  }

  @Test
  void aReplacedRouterNeitherLosesTheWindowsCountsNorMakesThemNegative() {
    // Two replicas; before the step they counted 100 and 80 requests of explore.
    StepWindow w = StepWindow.open("step-1", Map.of(
        "router-a@t0", Map.of("explore", counters(100, 1000, 50)),
        "router-b@t0", Map.of("explore", counters(80, 800, 40))));
    // In the step: a counts 30 more; b counts 20 more, then is deleted; its replacement c counts 7.
    w = w.observe(Map.of(
        "router-a@t0", Map.of("explore", counters(130, 1300, 65)),
        "router-b@t0", Map.of("explore", counters(100, 1000, 50))));
    w = w.observe(Map.of(
        "router-a@t0", Map.of("explore", counters(130, 1300, 65)),
        "router-c@t5", Map.of("explore", counters(7, 70, 3))));
    assertThat(w.counts().get("explore")).isEqualTo(counters(57, 570, 28));
    // a restarts in place (same pod, new process): its counters start at zero again, nothing goes negative.
    w = w.observe(Map.of(
        "router-a@t9", Map.of("explore", counters(4, 40, 2)),
        "router-c@t5", Map.of("explore", counters(10, 100, 5))));
    assertThat(w.counts().get("explore")).isEqualTo(counters(64, 640, 32));
    // a, b, c and a's new process each counted in this window
    assertThat(w.processCount()).isEqualTo(4);
  }

  @Test
  void whatAWindowCountedSinceAnEarlierReadIsItsGrowthOrAllOfANewStep() {
    StepWindow first = StepWindow.open("step-1", Map.of("router-a@t0", Map.of("explore", counters(10, 100, 5))));
    StepWindow later = first.observe(Map.of("router-a@t0", Map.of("explore", counters(25, 250, 12))));
    assertThat(later.countedSince(first).get("explore")).isEqualTo(counters(15, 150, 7));
    assertThat(later.countedSince(null).get("explore")).isEqualTo(counters(15, 150, 7));
    StepWindow next = StepWindow.open("step-2", Map.of("router-a@t0", Map.of("explore", counters(25, 250, 12))))
        .observe(Map.of("router-a@t0", Map.of("explore", counters(31, 310, 15))));
    assertThat(next.countedSince(later).get("explore")).as("a new step: all of its window")
        .isEqualTo(counters(6, 60, 3));
  }

  /**
   * Random schedules of reads, increments, restarts, deletions and new replicas (up to 6 at once): the window's
   * counts equal what was really counted after it opened, up to each process's last read.
   */
  @Test
  void theWindowCountsExactlyWhatWasCountedSinceItOpenedOverRandomSchedules() {
    for (long seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      Map<String, Map<String, ArmCounters>> alive = new LinkedHashMap<>();
      int next = 0;
      for (int i = 0; i < 1 + random.nextInt(3); i++) {
        alive.put("p" + next++, randomCounters(random, 1000));
      }
      StepWindow window = StepWindow.open("s", copy(alive));
      Map<String, ArmCounters> truth = new HashMap<>();
      for (int tick = 0; tick < 30; tick++) {
        // Some processes go away (deleted or restarted) right after the last read, before counting more.
        for (String key : List.copyOf(alive.keySet())) {
          if (random.nextInt(8) == 0) {
            alive.remove(key);
          }
        }
        while (alive.isEmpty() || (alive.size() < 6 && random.nextInt(5) == 0)) {
          alive.put("p" + next++, Map.of()); // a new process: its counters start at zero
        }
        for (var e : alive.entrySet()) {
          Map<String, ArmCounters> grown = new HashMap<>(e.getValue());
          for (String arm : ARMS) {
            ArmCounters more = randomCounters(random, 20).get(arm);
            grown.merge(arm, more, ArmCounters::plus);
            truth.merge(arm, more, ArmCounters::plus);
          }
          e.setValue(grown);
        }
        window = window.observe(copy(alive));
      }
      assertThat(window.counts()).as("seed %d", seed).isEqualTo(truth);
    }
  }

  private static Map<String, ArmCounters> randomCounters(Random random, int max) {
    Map<String, ArmCounters> out = new HashMap<>();
    for (String arm : ARMS) {
      out.put(arm, new ArmCounters(random.nextInt(max), random.nextInt(max), random.nextInt(max), random.nextInt(max),
          random.nextInt(max), random.nextInt(max), random.nextInt(max)));
    }
    return out;
  }

  private static Map<String, Map<String, ArmCounters>> copy(Map<String, Map<String, ArmCounters>> alive) {
    Map<String, Map<String, ArmCounters>> out = new LinkedHashMap<>();
    alive.forEach((k, v) -> out.put(k, Map.copyOf(v)));
    return out;
  }
}
