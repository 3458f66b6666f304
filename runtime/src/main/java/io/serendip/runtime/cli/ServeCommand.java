package io.serendip.runtime.cli;

import io.serendip.config.ConfigException;
import io.serendip.runtime.server.ServerRuntime;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Shared options and lifecycle of the server subcommands: start, serve until SIGTERM, drain. */
abstract class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--config", required = true, description = "Config YAML file (e.g. /etc/serendip/config.yaml).")
    Path config;

    @Option(names = "--reload-interval-ms", defaultValue = "1000",
            description = "How often the config file and artifacts are checked for changes; 0 disables hot reload (default ${DEFAULT-VALUE}).")
    long reloadIntervalMillis;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    abstract ServerRuntime.Spec<?> spec();

    @Override
    public Integer call() throws Exception {
        ServerRuntime<?> server;
        try {
            server = ServerRuntime.start(config, spec(), reloadIntervalMillis);
        } catch (ConfigException e) {
            java.io.PrintWriter err = spec.commandLine().getErr();
            err.println("refusing to start: invalid config " + config);
            e.errors().forEach(error -> err.println("  " + error));
            err.flush();
            TerminationLog.write("refusing to start: invalid config " + config + ": " + String.join("; ", e.errors()));
            return 2;
        } catch (io.serendip.ml.artifact.ArtifactException e) {
            spec.commandLine().getErr().println("refusing to start: " + e.getMessage());
            spec.commandLine().getErr().flush();
            TerminationLog.write("refusing to start: " + e.getMessage());
            return 3;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down: draining in-flight requests");
            try {
                server.close();
            } catch (Exception e) {
                LOG.warn("shutdown failed", e);
            }
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
