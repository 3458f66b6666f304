package io.serendip.operator.experiment;

import io.serendip.operator.api.ExplorationExperimentSpec;
import io.serendip.operator.api.ExplorationExperimentSpec.Arm;
import io.serendip.operator.api.ExplorationExperimentSpec.Step;
import java.util.ArrayList;
import java.util.List;

/** Small builders of experiment specs for tests. */
final class Specs {
  private Specs() {}

  static Arm arm(String name, boolean control, int weight) {
    Arm a = new Arm();
    a.name = name;
    a.control = control;
    a.weight = weight;
    a.recommenderRef = name;
    return a;
  }

  static Step setWeight(int w) {
    Step s = new Step();
    s.setWeight = w;
    return s;
  }

  static Step pause(String duration) {
    Step s = new Step();
    s.pause = new ExplorationExperimentSpec.Pause();
    s.pause.duration = duration;
    return s;
  }

  static ExplorationExperimentSpec spec(List<Arm> arms, Step... steps) {
    ExplorationExperimentSpec spec = new ExplorationExperimentSpec();
    spec.arms = arms;
    spec.assignment = new ExplorationExperimentSpec.Assignment();
    spec.assignment.salt = "s";
    if (steps.length > 0) {
      spec.rollout = new ExplorationExperimentSpec.Rollout();
      spec.rollout.steps = new ArrayList<>(List.of(steps));
    }
    return spec;
  }
}
