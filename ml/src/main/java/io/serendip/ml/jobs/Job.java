package io.serendip.ml.jobs;

import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.data.DataFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Common shell of the batch jobs: progress lines on stdout, and on failure (bad input, refused artifact, I/O) one
 * clear line on stderr and exit code 1 instead of a stack trace.
 */
public abstract class Job implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The job's work; throw on failure. */
    protected abstract void execute() throws Exception;

    @Override
    public final Integer call() {
        long started = System.nanoTime();
        Termination.install();
        try {
            execute();
            progress("done in %.1f s", (System.nanoTime() - started) / 1e9);
            return 0;
        } catch (Failure e) {
            return fail(e.getMessage(), e.exitCode);
        } catch (Termination.Terminated e) {
            return fail(e.getMessage(), Termination.EXIT_CODE);
        } catch (DataFormatException | ArtifactException | IllegalArgumentException | IllegalStateException e) {
            return fail(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            return fail("I/O error: " + e.getMessage());
        } catch (Exception e) {
            return fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private int fail(String message) {
        return fail(message, 1);
    }

    private int fail(String message, int exitCode) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.name() + ": error: " + message);
        err.flush();
        return exitCode;
    }

    /** A job's own refusal with a specific exit code (e.g. 2 for unusable arguments, 3 for a missed gate). */
    public static final class Failure extends RuntimeException {
        private final int exitCode;

        public Failure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /** Refuses (exit code 2) an {@code --output} directory that exists and is not empty. */
    public static void requireEmptyOutput(Path output) throws IOException {
        if (Files.isDirectory(output)) {
            try (var entries = Files.list(output)) {
                if (entries.findAny().isPresent()) {
                    throw new Failure(2, "--output " + output + " is not empty");
                }
            }
        }
    }

    protected void progress(String format, Object... args) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "[%s] %s%n", spec.name(), String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
