package io.serendip.runtime.cli;

import io.serendip.config.ArtifactTransfers;
import io.serendip.config.ConfigException;
import io.serendip.config.JobConfig;
import io.serendip.config.JobConfigs;
import io.serendip.config.JobKind;
import io.serendip.runtime.storage.ArtifactSync;
import io.serendip.runtime.storage.ObjectStore;
import io.serendip.runtime.storage.StorageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
            return fail("job: " + e.getMessage(), 2);
        }
        CommandLine subcommand = spec.commandLine().getSubcommands().get(args.get(0));
        spec.commandLine().getOut().println("[job] " + job.kind() + ": " + String.join(" ", args));
        spec.commandLine().getOut().flush();
        subcommand.setOut(spec.commandLine().getOut());
        subcommand.setErr(spec.commandLine().getErr());
        Optional<ObjectStore> store;
        try {
            store = ObjectStore.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            return fail("job: " + e.getMessage(), 2);
        }
        if (store.isEmpty()) {
            return subcommand.execute(args.subList(1, args.size()).toArray(String[]::new));
        }
        // Artifacts in an object store: the init container downloaded the inputs; outputs and checkpoints go back.
        try (ArtifactSync sync = new ArtifactSync(store.get(), ArtifactTransfers.of(job, store.get().root()),
                spec.commandLine().getOut())) {
            sync.deleteRetired();
            sync.startCheckpointing(CHECKPOINT_UPLOAD_SECONDS, TimeUnit.SECONDS);
            int code = subcommand.execute(args.subList(1, args.size()).toArray(String[]::new));
            sync.finish(code);
            return code;
        } catch (StorageException e) {
            return fail("job: " + e.getMessage(), 1);
        }
    }

    /** How often a running training's checkpoint is uploaded when it changed (it changes about once an epoch). */
    static final long CHECKPOINT_UPLOAD_SECONDS = 30;

    private int fail(String message, int code) {
        spec.commandLine().getErr().println(message);
        spec.commandLine().getErr().flush();
        TerminationLog.write(message);
        return code;
    }
}
