package io.serendip.ml.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A job run as a process of its own (its JVM, its signals), its output in a log file. */
public record JobProcess(Process process, Path logFile) {

    public static JobProcess start(Path dir, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        // what the build configured for the tests (e.g. the LLM component's Python) holds for the job too
        System.getProperties().stringPropertyNames().stream().filter(p -> p.startsWith("serendip.")).sorted()
                .forEach(p -> command.add("-D" + p + "=" + System.getProperty(p)));
        command.add(JobMain.class.getName());
        command.addAll(args);
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new JobProcess(process, log);
    }

    public String log() throws IOException {
        return Files.readString(logFile, StandardCharsets.UTF_8);
    }

    /** Waits (at most 3 minutes) until the log shows {@code text}; false when the job ended first. */
    public boolean awaitLog(String text) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!log().contains(text) && Instant.now().isBefore(deadline) && process.isAlive()) {
            Thread.sleep(100);
        }
        return log().contains(text);
    }

    public int finish() throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the job did not end within 10 minutes");
        }
        return process.exitValue();
    }
}
