package io.serendip.ml.interest.llm;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.serendip.ml.jobs.Termination;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the LLM component ({@code python -m serendip_llm}) as a child process: the request file in, progress lines
 * out, its refusals as exceptions carrying its one-line reason. The interpreter is the one {@code llm/setup.sh}
 * installs; it is found from the system property {@value #PROPERTY} or the environment variable {@value #ENV}.
 */
public final class LlmProcess {
    public static final String PROPERTY = "serendip.llm.python";
    public static final String ENV = "SERENDIP_LLM_PYTHON";
    /** Exit codes of the component (llm/src/serendip_llm/cli.py). */
    static final int REFUSED = 2;
    static final int DIVERGED = 4;

    /** The component ended with a non-zero status; the message is its own last line. */
    public static final class LlmFailure extends IllegalArgumentException {
        private final int exitCode;

        LlmFailure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }

        public boolean diverged() {
            return exitCode == DIVERGED;
        }
    }

    private final Path python;

    private LlmProcess(Path python) {
        this.python = python;
    }

    /** The installed component, or a refusal that says how to install it. */
    public static LlmProcess installed() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
        }
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("the LLM component is not configured: run llm/setup.sh and set " + ENV
                    + " to the Python it prints (in a cluster: an InterestModel with engine: Transformers runs in the"
                    + " runtime-cuda image, which carries it)");
        }
        Path path = Path.of(configured);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(ENV + "=" + configured + " is not an executable Python (run llm/setup.sh)");
        }
        return new LlmProcess(path);
    }

    /** The sha256 of a model file or directory, as the component computes and checks it. */
    public String digest(Path model) throws IOException {
        Process process = new ProcessBuilder(python.toString(), "-m", "serendip_llm", "digest", model.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (process.waitFor() != 0 || !out.matches("[0-9a-f]{64}")) {
                throw new LlmFailure(REFUSED, model + ": cannot compute the model's digest");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    /** Runs {@code command --request request}; every stderr line goes to {@code progress}. */
    public void run(String command, Path request, Consumer<String> progress) throws IOException {
        run(command, request, Map.of(), progress);
    }

    /** As {@link #run(String, Path, Consumer)}, with {@code env} added to the component's environment. */
    public void run(String command, Path request, Map<String, String> env, Consumer<String> progress)
            throws IOException {
        Process process = start(command, request, true, env);
        process.getOutputStream().close();
        Tail tail = new Tail(progress);
        int status;
        // SIGTERM reaches this JVM only (the pod's first process): the component gets it too, to keep its state
        // (ProcessHandle.destroy: SIGTERM without closing the streams the progress is still read from)
        try (AutoCloseable forward = Termination.onTerminate(() -> process.toHandle().destroy())) {
            tail.drain(process.getInputStream());
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the LLM component ran", e);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (status == Termination.EXIT_CODE && Termination.requested()) {
            throw new Termination.Terminated(tail.reason());
        }
        if (status != 0) {
            throw new LlmFailure(status, tail.reason());
        }
    }

    /**
     * Starts {@code serve --request request}: the model of a propose request stays loaded and answers one request
     * line with one reply line. Returns once the model is loaded; refuses like {@link #run} when it cannot be.
     */
    public Session serve(Path request, Consumer<String> progress) throws IOException {
        Process process = start("serve", request, false, Map.of());
        Tail tail = new Tail(progress);
        Thread stderr = new Thread(() -> {
            try {
                tail.drain(process.getErrorStream());
            } catch (IOException ignored) {
                // the process ended; its status says why
            }
        }, "serendip-llm-stderr");
        stderr.setDaemon(true);
        stderr.start();
        Session session = new Session(process, tail, stderr);
        String ready = session.out.readLine();
        if (ready == null || !ready.contains("\"ready\"")) {
            throw session.failed("the LLM component did not start serving");
        }
        return session;
    }

    private Process start(String command, Path request, boolean mergeStderr, Map<String, String> env)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(python.toString(), "-m", "serendip_llm", command,
                "--request", request.toString()).redirectErrorStream(mergeStderr);
        // The component's own progress lines are enough; library progress bars would flood a Job's log.
        builder.environment().put("TQDM_DISABLE", "1");
        builder.environment().put("TOKENIZERS_PARALLELISM", "false");
        builder.environment().putAll(env);
        return builder.start();
    }

    /** A process's log lines: each goes to {@code progress}; the last ones explain a failure. */
    private static final class Tail {
        private final Consumer<String> progress;
        private final List<String> lines = new ArrayList<>();

        Tail(Consumer<String> progress) {
            this.progress = progress;
        }

        void drain(InputStream stream) throws IOException {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (!line.isBlank()) {
                        add(line);
                    }
                }
            }
        }

        private synchronized void add(String line) {
            progress.accept(line);
            lines.add(line);
            if (lines.size() > 20) {
                lines.remove(0);
            }
        }

        /** The component's own one-line reason, else its last line. */
        synchronized String reason() {
            return lines.stream().filter(l -> l.startsWith("serendip-llm: ")).reduce((a, b) -> b)
                    .map(l -> l.substring("serendip-llm: ".length()))
                    .orElse(lines.isEmpty() ? "no output" : lines.get(lines.size() - 1));
        }
    }

    /** A running {@code serve} process. One exchange at a time: the model answers one batch after another. */
    public static final class Session implements AutoCloseable {
        private final Process process;
        private final Tail tail;
        private final Thread stderr;
        private final BufferedWriter in;
        private final BufferedReader out;

        private Session(Process process, Tail tail, Thread stderr) {
            this.process = process;
            this.tail = tail;
            this.stderr = stderr;
            this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Sends one request line (JSON, no line breaks) and returns the component's reply line. */
        public synchronized String exchange(String line) throws IOException {
            if (line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a request line must not contain a line break");
            }
            try {
                in.write(line);
                in.newLine();
                in.flush();
            } catch (IOException e) {
                throw failed("the LLM component stopped");
            }
            String reply = out.readLine();
            if (reply == null) {
                throw failed("the LLM component stopped");
            }
            return reply;
        }

        /** The process ended or cannot go on: its status and reason. */
        private LlmFailure failed(String what) {
            int status;
            try {
                status = process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
                stderr.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = -1;
            }
            process.destroyForcibly();
            return new LlmFailure(status, what + " (exit " + status + "): " + tail.reason());
        }

        /** Ends the process: end of input lets it exit; it is killed if it does not within a few seconds. */
        @Override
        public void close() {
            try {
                in.close();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
