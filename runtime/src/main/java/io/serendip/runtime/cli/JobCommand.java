package io.serendip.runtime.cli;

import io.serendip.config.ConfigException;
import io.serendip.config.JobConfig;
import io.serendip.config.JobConfigs;
import io.serendip.config.JobKind;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Batch jobs of the offline pipeline; the subcommands are registered by {@link io.serendip.runtime.Main}. In a
 * cluster the operator runs {@code job --config FILE}: a typed {@link JobConfig} that names the job and its inputs.
 */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "Offline pipeline jobs (build clusters, train, precompute novelty, evaluate, ...): a subcommand,"
                + " or --config with a Job config file (what the operator's Jobs run).")
final class JobCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Job config (YAML, apiVersion serendip.io/v1alpha1)"
            + " naming the job (kind) and its settings.")
    Path config;

    @Override
    public Integer call() {
        if (config == null) {
            throw new ParameterException(spec.commandLine(), "a job name or --config is required; jobs: "
                    + spec.subcommands().keySet());
        }
        JobConfig job;
        List<String> args;
        try {
            job = JobConfigs.read(config);
            args = JobArguments.of(job, System.getenv());
            if (job.kind() == JobKind.InterestModelTraining && TerminationLog.file().isPresent()) {
                // the gate numbers, passed or not, for the operator to put in the InterestModel's status
                args = new java.util.ArrayList<>(args);
                args.addAll(List.of("--gate-report", TerminationLog.file().get().toString()));
            }
        } catch (ConfigException | IllegalArgumentException e) {
            String message = "job: " + e.getMessage();
            spec.commandLine().getErr().println(message);
            spec.commandLine().getErr().flush();
            TerminationLog.write(message);
            return 2;
        }
        CommandLine subcommand = spec.commandLine().getSubcommands().get(args.get(0));
        spec.commandLine().getOut().println("[job] " + job.kind() + ": " + String.join(" ", args));
        spec.commandLine().getOut().flush();
        subcommand.setOut(spec.commandLine().getOut());
        subcommand.setErr(spec.commandLine().getErr());
        return subcommand.execute(args.subList(1, args.size()).toArray(String[]::new));
    }
}
