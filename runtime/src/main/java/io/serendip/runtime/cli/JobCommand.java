package io.serendip.runtime.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Batch jobs of the offline pipeline; the subcommands are registered by {@link io.serendip.runtime.Main}. */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "Offline pipeline jobs (build clusters, train, precompute novelty, evaluate, ...).")
final class JobCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a job name is required: one of " + spec.subcommands().keySet());
    }
}
