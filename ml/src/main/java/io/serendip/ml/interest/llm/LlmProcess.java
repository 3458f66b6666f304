package io.serendip.ml.interest.llm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
                    + " to the Python it prints");
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
        ProcessBuilder builder = new ProcessBuilder(python.toString(), "-m", "serendip_llm", command,
                "--request", request.toString()).redirectErrorStream(true);
        // The component's own progress lines are enough; library progress bars would flood a Job's log.
        builder.environment().put("TQDM_DISABLE", "1");
        builder.environment().put("TOKENIZERS_PARALLELISM", "false");
        Process process = builder.start();
        process.getOutputStream().close();
        List<String> tail = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                progress.accept(line);
                tail.add(line);
                if (tail.size() > 20) {
                    tail.remove(0);
                }
            }
        }
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the LLM component ran", e);
        }
        if (status != 0) {
            String reason = tail.stream().filter(l -> l.startsWith("serendip-llm: ")).reduce((a, b) -> b)
                    .map(l -> l.substring("serendip-llm: ".length()))
                    .orElse(tail.isEmpty() ? "no output" : tail.get(tail.size() - 1));
            throw new LlmFailure(status, reason);
        }
    }
}
