package io.serendip.ml.interest.llm;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.interest.InterestGenerator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The novel-interest LLM: a pretrained base, optionally a LoRA adapter fine-tuned on curated transitions, and the
 * cluster descriptions it chooses among. Proposals come from the component's constrained beam search over a trie of
 * the descriptions in the LLM's own tokens, so every one is a valid cluster outside the history. One process
 * answers a whole batch of histories (the model loads once); answers are kept, so the gates, the evaluation and the
 * table precompute each ask the LLM once per history.
 *
 * <p>Artifact (kind {@value #KIND}): {@value #SPEC_FILE} (this {@link Spec}), {@value #ADAPTER_DIR}/ (peft's
 * adapter files; absent for a zero-shot model), {@code training.json} (the component's training report) and the
 * manifest with the gate metrics.
 */
public final class LlmInterestModel implements InterestGenerator {
    public static final String KIND = "llm-interest-model";
    public static final String SPEC_FILE = "llm.json";
    public static final String ADAPTER_DIR = "adapter";
    public static final int FORMAT_VERSION = 1;
    /**
     * Histories decoded together. Sorted prompts share everything up to their last cluster, and one batch shares
     * that prefix's computation and its decoding steps' matrix products; 64 covers most of one first cluster's
     * histories at 100 clusters (measured in docs/benchmarks.md).
     */
    static final int BATCH = 64;

    /**
     * What the model was trained on and how it is asked, written by the training job as {@value #SPEC_FILE}.
     *
     * @param base               the base model's file or directory at training time and its sha256
     * @param clusterFingerprint the cluster set the adapter was trained for; another set is refused
     * @param descriptions       the candidate texts, indexed by cluster id: what the prompts show and the answers name
     * @param proposals          clusters asked per history, best first (the beam search's finished beams)
     * @param quantization       the arithmetic of every use of this version (gates, evaluation, precompute):
     *                           {@code none} (float32) or {@code int8} (absent in files written before it: none)
     */
    public record Spec(int formatVersion, LlmRequests.BaseRef base, String clusterFingerprint, int historyLength,
                       String promptTemplate, String descriptionVariant, List<String> descriptions, int proposals,
                       int beamWidth, int maxNewTokens, String quantization) {
        public static final List<String> QUANTIZATIONS = List.of("none", "int8");

        public Spec {
            descriptions = List.copyOf(descriptions);
            quantization = quantization == null ? "none" : quantization;
            if (!QUANTIZATIONS.contains(quantization)) {
                throw new IllegalArgumentException("quantization must be one of " + QUANTIZATIONS + ", got "
                        + quantization);
            }
        }

        Spec withBeamWidth(int width) {
            return width <= 0 ? this : new Spec(formatVersion, base, clusterFingerprint, historyLength, promptTemplate,
                    descriptionVariant, descriptions, Math.max(proposals, width), width, maxNewTokens, quantization);
        }
    }

    private final Spec spec;
    private final String name;
    private final PromptTemplate template;
    private final BaseModel base;
    private final Path adapter;
    private final int threads;
    private final int batchSize;
    private final Consumer<String> progress;
    private final LlmProcess process;
    private final Map<List<Integer>, LlmRequests.Proposal> answers = new HashMap<>();

    LlmInterestModel(Spec spec, BaseModel base, Path adapter, int threads, int batchSize, Consumer<String> progress) {
        this(spec, adapter == null ? "llm-zero-shot" : "llm-fine-tuned", base, adapter, threads, batchSize, progress);
    }

    private LlmInterestModel(Spec spec, String name, BaseModel base, Path adapter, int threads, int batchSize,
                             Consumer<String> progress) {
        this.spec = spec;
        this.name = name;
        this.template = new PromptTemplate(spec.promptTemplate());
        this.base = base;
        this.adapter = adapter;
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.batchSize = batchSize;
        this.progress = progress;
        this.process = LlmProcess.installed();
    }

    /**
     * Opens an artifact for these clusters. {@code base} relocates the base model (null: where training found
     * it, else the file of that name in the model cache, as in an image that carries it); its digest must still be
     * the recorded one. Refuses an adapter trained for another cluster set.
     */
    public static LlmInterestModel load(Path dir, ClusterSet clusters, Path base, int beamWidth, int threads,
                                        Consumer<String> progress) {
        ArtifactManifest.readVerified(dir, KIND);
        Spec spec;
        try {
            spec = LlmRequests.JSON.readValue(dir.resolve(SPEC_FILE).toFile(), Spec.class);
        } catch (IOException e) {
            throw new ArtifactException("unreadable " + dir.resolve(SPEC_FILE) + ": " + e.getMessage(), e);
        }
        if (spec.formatVersion() != FORMAT_VERSION) {
            throw new ArtifactException(dir.resolve(SPEC_FILE) + ": unsupported formatVersion " + spec.formatVersion());
        }
        if (!clusters.fingerprint().equals(spec.clusterFingerprint())) {
            throw new ArtifactException(dir + ": the model was trained for another cluster set (fingerprint "
                    + spec.clusterFingerprint() + ", these clusters " + clusters.fingerprint() + ")");
        }
        if (spec.descriptions().size() != clusters.clusterCount()) {
            throw new ArtifactException(dir.resolve(SPEC_FILE) + ": " + spec.descriptions().size()
                    + " descriptions for " + clusters.clusterCount() + " clusters");
        }
        try {
            new PromptTemplate(spec.promptTemplate());
        } catch (IllegalArgumentException e) {
            throw new ArtifactException(dir.resolve(SPEC_FILE) + ": " + e.getMessage());
        }
        Path adapterDir = dir.resolve(ADAPTER_DIR);
        BaseModel baseModel = new BaseModel(base != null ? base.toAbsolutePath().normalize()
                : BaseModel.locate(Path.of(spec.base().path())), spec.base().sha256());
        return new LlmInterestModel(spec.withBeamWidth(beamWidth), baseModel,
                Files.isDirectory(adapterDir) ? adapterDir : null, threads, BATCH, progress);
    }

    /**
     * The base model as it is, without fine-tuning, asked with {@code template} (zero-shot, or few-shot when the
     * template carries worked examples): the baseline a fine-tuned version must beat, in the same arithmetic.
     */
    public static LlmInterestModel pretrained(String name, BaseModel base, ClusterSet clusters,
                                              List<String> descriptions, PromptTemplate template, int historyLength,
                                              int beamWidth, String quantization, int threads,
                                              Consumer<String> progress) {
        int longest = descriptions.stream().mapToInt(String::length).max().orElse(16);
        Spec spec = new Spec(FORMAT_VERSION, base.ref(), clusters.fingerprint(), historyLength, template.text(),
                "", descriptions, beamWidth, beamWidth, Math.max(16, longest / 2), quantization);
        return new LlmInterestModel(spec, name, base, null, threads, BATCH, progress);
    }

    public Spec spec() {
        return spec;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int[] novelClusters(int[] history, int n) {
        return novelClusters(List.of(history), n)[0];
    }

    @Override
    public synchronized int[][] novelClusters(List<int[]> histories, int n) {
        ask(histories, false);
        int[][] result = new int[histories.size()][];
        for (int i = 0; i < result.length; i++) {
            int[] clusters = answers.get(key(histories.get(i))).clusters();
            result[i] = Arrays.copyOf(clusters, Math.min(n, clusters.length));
        }
        return result;
    }

    @Override
    public synchronized List<String> generateText(List<int[]> histories) {
        ask(histories, true);
        return histories.stream().map(h -> answers.get(key(h)).text()).toList();
    }

    /** Runs the component once for every history not answered yet (with greedy text when {@code text}). */
    private void ask(List<int[]> histories, boolean text) {
        Map<List<Integer>, int[]> missing = new LinkedHashMap<>();
        for (int[] history : histories) {
            LlmRequests.Proposal known = answers.get(key(history));
            if (known == null || (text && known.text() == null)) {
                missing.putIfAbsent(key(history), history);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<LlmRequests.ProposeRow> rows = new ArrayList<>();
        for (int[] history : missing.values()) {
            rows.add(new LlmRequests.ProposeRow(template.render(history, spec.descriptions()), history));
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("serendip-llm-propose");
            Path output = work.resolve("proposals.jsonl");
            Path requestFile = work.resolve("propose.json");
            LlmRequests.write(requestFile, request(rows, text, output.toString()));
            process.run("propose", requestFile, progress);
            List<LlmRequests.Proposal> got = new ArrayList<>();
            try (BufferedReader lines = Files.newBufferedReader(output)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    got.add(LlmRequests.JSON.readValue(line, LlmRequests.Proposal.class));
                }
            }
            if (got.size() != rows.size()) {
                throw new IllegalStateException("the LLM component answered " + got.size() + " of " + rows.size()
                        + " histories");
            }
            int i = 0;
            for (List<Integer> k : missing.keySet()) {
                answers.put(k, got.get(i++));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(work);
        }
    }

    private LlmRequests.Propose request(List<LlmRequests.ProposeRow> rows, boolean text, String output) {
        return new LlmRequests.Propose(base.ref(), adapter == null ? null : adapter.toString(), spec.descriptions(),
                rows, spec.proposals(), spec.beamWidth(), text, spec.maxNewTokens(), batchSize, threads, output,
                spec.quantization());
    }

    /**
     * This model kept loaded in one component process, for an online server: each call asks it for one history
     * (the same constrained decoding as the batch path, so the same clusters). Close it to end the process.
     */
    public LlmOnlineInterestModel online() {
        Path work = null;
        try {
            work = Files.createTempDirectory("serendip-llm-serve");
            Path requestFile = work.resolve("serve.json");
            LlmRequests.write(requestFile, request(List.of(), false, "-"));
            return new LlmOnlineInterestModel(spec, template, process.serve(requestFile, progress));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(work);
        }
    }

    private static List<Integer> key(int[] history) {
        return Arrays.stream(history).boxed().toList();
    }

    /** Writes {@value #SPEC_FILE} into an artifact directory. */
    static void writeSpec(Path dir, Spec spec) throws IOException {
        LlmRequests.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(SPEC_FILE).toFile(), spec);
    }

    /** Removes a staging or temporary directory tree; what cannot be removed is left. */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
