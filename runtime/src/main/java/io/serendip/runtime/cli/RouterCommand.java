package io.serendip.runtime.cli;

import io.serendip.runtime.router.RouterServerSpec;
import io.serendip.runtime.server.ServerRuntime;
import picocli.CommandLine.Command;

@Command(name = "router", mixinStandardHelpOptions = true,
        description = "A/B router: assigns users to experiment arms and forwards to their recommenders.")
final class RouterCommand extends ServeCommand {
    @Override
    ServerRuntime.Spec<?> spec() {
        return new RouterServerSpec();
    }
}
