package io.serendip.operator.recommender;

import io.serendip.operator.api.ExplorationExperiment;
import io.serendip.operator.api.ExplorationExperimentSpec.Arm;
import io.serendip.operator.experiment.StatusWeights;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How many server replicas a RecommenderModel needs for the traffic experiments give it, as Argo Rollouts scales a
 * canary with its traffic weight: {@code spec.replicas} is the capacity for every experiment's final weight of the
 * arms it serves, and while a rollout ramps an arm up, the model runs that share of it (rounded up, at least one,
 * never above {@code spec.replicas}). A model that is some experiment's control, or that no experiment uses, keeps
 * all of {@code spec.replicas}; so does an arm whose experiment has not reported weights yet.
 */
public final class TrafficCapacity {
  private TrafficCapacity() {}

  /** One arm served by the model: its current and final weight in basis points, and whether it is control. */
  public record Use(int effectiveBasisPoints, int finalBasisPoints, boolean control) {}

  /** The replicas for these uses of a model whose own bound is {@code replicas}. */
  public static int replicas(int replicas, List<Use> uses) {
    double share = share(uses);
    return Math.max(1, Math.min(replicas, (int) Math.ceil(replicas * share - 1e-9)));
  }

  /** The share of its final traffic the model gets now: 1 for control, unused or unknown, else the sum over arms. */
  public static double share(List<Use> uses) {
    if (uses.isEmpty() || uses.stream().anyMatch(u -> u.control() || u.effectiveBasisPoints() < 0)) {
      return 1.0;
    }
    double share = 0;
    for (Use u : uses) {
      share += u.finalBasisPoints() <= 0 ? 0 : (double) u.effectiveBasisPoints() / u.finalBasisPoints();
    }
    return Math.min(1.0, share);
  }

  /**
   * The arms of these experiments that the named model serves; an experiment without reported weights gives
   * {@code effectiveBasisPoints} -1 (unknown).
   */
  public static List<Use> uses(String model, Collection<ExplorationExperiment> experiments) {
    List<Use> uses = new ArrayList<>();
    for (ExplorationExperiment xp : experiments) {
      if (xp.getSpec() == null || xp.getSpec().arms == null) {
        continue;
      }
      Map<String, Integer> weights = xp.getStatus() == null ? Map.of() : StatusWeights.parse(xp.getStatus().weights);
      for (Arm arm : xp.getSpec().arms) {
        if (model.equals(arm.recommenderRef)) {
          uses.add(new Use(weights.getOrDefault(arm.name, -1), arm.weight == null ? 0 : arm.weight * 100,
              Boolean.TRUE.equals(arm.control)));
        }
      }
    }
    return uses;
  }
}
