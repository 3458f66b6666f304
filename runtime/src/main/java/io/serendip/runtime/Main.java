package io.serendip.runtime;

import io.serendip.runtime.cli.Commands;
import picocli.CommandLine;

/** Entry point of the one runnable artifact: {@code router}, {@code recommender}, {@code interest-model}, {@code job}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Commands.commandLine().execute(args));
    }
}
