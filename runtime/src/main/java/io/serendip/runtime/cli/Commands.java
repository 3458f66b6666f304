package io.serendip.runtime.cli;

import io.serendip.ml.jobs.JobCommands;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Builds the command tree. */
public final class Commands {
    private Commands() {
    }

    @Command(name = "serendip", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Serendip runtime: LLM-guided interest exploration servers and batch jobs.",
            subcommands = {RouterCommand.class, RecommenderCommand.class, InterestModelCommand.class, JobCommand.class,
                TrafficCommand.class, ProbeCommand.class, StorageInitializerCommand.class})
    static final class Root implements Runnable {
        @picocli.CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "a subcommand is required: one of " + spec.subcommands().keySet());
        }
    }

    public static CommandLine commandLine() {
        CommandLine root = new CommandLine(new Root());
        CommandLine job = root.getSubcommands().get("job");
        for (Object command : JobCommands.all()) {
            job.addSubcommand(command);
        }
        return root;
    }

    /** The build's version, from a resource the build writes: the fat jar and the image (classes, no jar) both carry it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = Commands.class.getResourceAsStream("/io/serendip/runtime/build.properties")) {
                if (in == null) {
                    throw new IOException("build.properties is missing from the runtime's classpath");
                }
                build.load(in);
            }
            return new String[] {"serendip " + build.getProperty("version")};
        }
    }
}
