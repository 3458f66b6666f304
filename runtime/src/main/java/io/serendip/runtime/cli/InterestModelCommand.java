package io.serendip.runtime.cli;

import io.serendip.runtime.interest.InterestModelServerSpec;
import io.serendip.runtime.server.ServerRuntime;
import picocli.CommandLine.Command;

@Command(name = "interest-model", mixinStandardHelpOptions = true,
        description = "Interest-model server: novel interest clusters for cluster histories (constrained decoding).")
final class InterestModelCommand extends ServeCommand {
    @Override
    ServerRuntime.Spec<?> spec() {
        return new InterestModelServerSpec();
    }
}
