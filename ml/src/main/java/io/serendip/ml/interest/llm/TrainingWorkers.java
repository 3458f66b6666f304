package io.serendip.ml.interest.llm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This process's place among the workers of one LLM fine-tuning: what torchrun and a Kubeflow PyTorchJob's pods are
 * told through {@code WORLD_SIZE}, {@code RANK}, {@code MASTER_ADDR} and {@code MASTER_PORT}. Every worker prepares
 * the same examples and joins the LLM component's distributed training; only the first evaluates the gates and
 * publishes the model.
 */
public record TrainingWorkers(int rank, int world, String masterAddress, int masterPort) {
    public static final TrainingWorkers ALONE = new TrainingWorkers(0, 1, null, 0);

    public TrainingWorkers {
        if (world < 1 || rank < 0 || rank >= world) {
            throw new IllegalArgumentException("RANK must be between 0 and WORLD_SIZE - 1 (got RANK " + rank
                    + ", WORLD_SIZE " + world + ")");
        }
        if (world > 1 && (masterAddress == null || masterAddress.isBlank() || masterPort < 1 || masterPort > 65535)) {
            throw new IllegalArgumentException("WORLD_SIZE " + world + " needs MASTER_ADDR and a MASTER_PORT between 1"
                    + " and 65535 (got " + masterAddress + ":" + masterPort + ")");
        }
    }

    /** The workers the environment names; alone when {@code WORLD_SIZE} is unset or 1. */
    public static TrainingWorkers fromEnv(Map<String, String> env) {
        int world = number(env, "WORLD_SIZE", 1);
        if (world == 1) {
            return ALONE;
        }
        return new TrainingWorkers(number(env, "RANK", -1), world, env.get("MASTER_ADDR"),
                number(env, "MASTER_PORT", 0));
    }

    public boolean first() {
        return rank == 0;
    }

    /** What the LLM component's process is told (nothing when alone, so it trains by itself). */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        if (world > 1) {
            env.put("WORLD_SIZE", Integer.toString(world));
            env.put("RANK", Integer.toString(rank));
            env.put("LOCAL_RANK", "0"); // one worker per pod
            env.put("MASTER_ADDR", masterAddress);
            env.put("MASTER_PORT", Integer.toString(masterPort));
        }
        return env;
    }

    private static int number(Map<String, String> env, String name, int absent) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer (got " + value + ")");
        }
    }
}
