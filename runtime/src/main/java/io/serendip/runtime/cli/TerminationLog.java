package io.serendip.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why a server refused to start, in the file the kubelet reads into the container's terminated state
 * ({@code terminationMessagePath}, /dev/termination-log by default), so the operator can put the reason in the
 * owning resource's conditions instead of a bare crash loop. Outside a pod the file does not exist and nothing is
 * written.
 */
final class TerminationLog {
    /** System property naming another file (tests). */
    static final String PROPERTY = "serendip.terminationLog";
    private static final Path DEFAULT = Path.of("/dev/termination-log");

    private TerminationLog() {
    }

    /** The termination log when this process runs in a container that has one. */
    static java.util.Optional<Path> file() {
        String override = System.getProperty(PROPERTY);
        Path file = override == null ? DEFAULT : Path.of(override);
        return Files.isWritable(file) ? java.util.Optional.of(file) : java.util.Optional.empty();
    }

    static void write(String message) {
        Path file = file().orElse(null);
        if (file == null) {
            return;
        }
        try {
            // The kubelet keeps at most 4 KiB; one line is what a condition message can carry.
            String line = message.replace('\n', ' ').strip();
            Files.writeString(file, line.length() > 1024 ? line.substring(0, 1024) : line, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Best effort: the same message is on stderr.
        }
    }
}
