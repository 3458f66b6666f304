package io.serendip.ml.jobs;

import picocli.CommandLine;

/** The ml jobs as a process of their own, for tests that signal or kill a job as the kubelet would. */
public final class JobMain {
    @CommandLine.Command(name = "job")
    static final class Root {
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Root());
        JobCommands.all().forEach(cli::addSubcommand);
        System.exit(cli.execute(args));
    }
}
