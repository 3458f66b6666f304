package io.serendip.runtime.cli;

import io.serendip.config.ArtifactTransfers;
import io.serendip.config.ConfigException;
import io.serendip.runtime.storage.ArtifactSync;
import io.serendip.runtime.storage.ObjectStore;
import io.serendip.runtime.storage.StorageException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The init container of a pod whose artifacts live in an object store (KServe's storage initializer): reads the
 * same config file as the pod's main container and downloads every artifact it names into the pod's artifact
 * directory, checking each file's digest. Exit 1 with the cause in the termination log when the store refuses.
 */
@Command(name = "storage-initializer", mixinStandardHelpOptions = true,
        description = "Download the artifacts a config file names from the object store in " + ObjectStore.URI_ENV
                + " (endpoint and credentials from AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID,"
                + " AWS_SECRET_ACCESS_KEY).")
final class StorageInitializerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "The pod's Job or server config (YAML).")
    Path config;

    @Override
    public Integer call() {
        return run(config, System.getenv(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    static int run(Path config, Map<String, String> env, PrintWriter out, PrintWriter err) {
        Optional<ObjectStore> store;
        ArtifactTransfers transfers;
        try {
            store = ObjectStore.fromEnv(env);
            if (store.isEmpty()) {
                return fail(err, ObjectStore.URI_ENV + " is not set: nothing to download from", 2);
            }
            transfers = ArtifactTransfers.ofConfigFile(config, store.get().root());
        } catch (ConfigException | IllegalArgumentException e) {
            return fail(err, e.getMessage(), 2);
        }
        try (ArtifactSync sync = new ArtifactSync(store.get(), transfers, out)) {
            sync.downloadInputs();
            return 0;
        } catch (StorageException e) {
            return fail(err, e.getMessage(), 1);
        }
    }

    private static int fail(PrintWriter err, String message, int code) {
        String line = "storage-initializer: " + message;
        err.println(line);
        err.flush();
        TerminationLog.write(line);
        return code;
    }
}
