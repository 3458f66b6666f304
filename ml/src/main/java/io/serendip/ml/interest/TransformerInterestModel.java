package io.serendip.ml.interest;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import io.serendip.ml.artifact.ArtifactException;
import io.serendip.ml.artifact.ArtifactManifest;
import io.serendip.ml.artifact.ClusterSet;
import io.serendip.ml.transformer.CausalTransformerBlock;
import io.serendip.ml.transformer.TransformerRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The novel-interest LM: a small decoder-only transformer over the description vocabulary, run by DJL,
 * decoding with {@link ConstrainedDecoder} over a {@link DescriptionTrie}. Also a
 * {@link io.serendip.ml.novelty.NoveltySource}, so the novelty-table precompute can use it directly.
 */
public final class TransformerInterestModel implements NovelInterestModel, InterestGenerator {

    public static final String KIND = "interest-model";
    public static final String VOCABULARY_FILE = "vocabulary.txt";
    static final String PARAMETERS_PREFIX = "interest";

    private final Model model;
    private final TransformerRunner runner;
    private final DescriptionVocabulary vocabulary;
    private final List<int[]> descriptions;
    private final DescriptionTrie trie;
    private final int historyLength;
    private final int beamWidth;

    TransformerInterestModel(Model model, TransformerRunner runner, DescriptionVocabulary vocabulary,
                             List<int[]> descriptions, int historyLength, int beamWidth) {
        this.model = model;
        this.runner = runner;
        this.vocabulary = vocabulary;
        this.descriptions = List.copyOf(descriptions);
        this.trie = new DescriptionTrie(descriptions);
        this.historyLength = historyLength;
        this.beamWidth = beamWidth;
    }

    static TransformerInterestModel load(Path dir, ClusterSet clusters) {
        return load(dir, clusters, 0);
    }

    /** @param beamWidth beam width of the constrained search; 0 keeps the one the model was trained with */
    static TransformerInterestModel load(Path dir, ClusterSet clusters, int beamWidth) {
        if (beamWidth < 0) {
            throw new IllegalArgumentException("beam width must be >= 0, got " + beamWidth);
        }
        ArtifactManifest.readVerified(dir, KIND);
        InterestHyperparameters hyperparameters = InterestHyperparameters.read(dir);
        if (!hyperparameters.clusterFingerprint().equals(clusters.fingerprint())) {
            throw new ArtifactException("artifact " + dir + " was trained for cluster set "
                    + hyperparameters.clusterFingerprint() + ", not " + clusters.fingerprint());
        }
        DescriptionVocabulary vocabulary;
        try {
            vocabulary = DescriptionVocabulary.read(dir.resolve(VOCABULARY_FILE));
        } catch (IOException | IllegalArgumentException e) {
            throw new ArtifactException("invalid " + dir.resolve(VOCABULARY_FILE) + ": " + e.getMessage(), e);
        }
        if (vocabulary.size() != hyperparameters.transformer().vocabularySize()) {
            throw new ArtifactException("artifact " + dir + ": " + VOCABULARY_FILE + " has " + vocabulary.size()
                    + " tokens, " + InterestHyperparameters.FILE_NAME + " says " + hyperparameters.transformer().vocabularySize());
        }
        List<int[]> descriptions = tokenize(vocabulary, clusters.descriptions());
        CausalTransformerBlock block = new CausalTransformerBlock(hyperparameters.transformer());
        Model model = Model.newInstance(PARAMETERS_PREFIX, Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
        model.setBlock(block);
        try {
            model.load(dir, PARAMETERS_PREFIX);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ArtifactException("cannot load interest-model parameters from " + dir + ": " + e.getMessage(), e);
        }
        return new TransformerInterestModel(model, new TransformerRunner(block, model.getNDManager()), vocabulary,
                descriptions, hyperparameters.historyLength(), beamWidth > 0 ? beamWidth : hyperparameters.beamWidth());
    }

    /** Token ids of every description; refuses descriptions with words outside the vocabulary. */
    static List<int[]> tokenize(DescriptionVocabulary vocabulary, List<String> descriptions) {
        List<int[]> result = new ArrayList<>(descriptions.size());
        for (int c = 0; c < descriptions.size(); c++) {
            int[] tokens = vocabulary.encode(descriptions.get(c));
            if (tokens.length == 0 || Arrays.stream(tokens).anyMatch(t -> t == DescriptionVocabulary.UNK)) {
                throw new ArtifactException("description of cluster " + c + " ('" + descriptions.get(c)
                        + "') is empty or uses words outside the model's vocabulary");
            }
            result.add(tokens);
        }
        return result;
    }

    void saveFiles(Path dir, InterestHyperparameters hyperparameters) throws IOException {
        model.save(dir, PARAMETERS_PREFIX);
        vocabulary.write(dir.resolve(VOCABULARY_FILE));
        hyperparameters.write(dir);
    }

    @Override
    public int historyLength() {
        return historyLength;
    }

    public int clusterCount() {
        return descriptions.size();
    }

    public DescriptionVocabulary vocabulary() {
        return vocabulary;
    }

    DescriptionTrie trie() {
        return trie;
    }

    /** Prompt tokens for the most recent {@link #historyLength()} clusters of a history. */
    public int[] prompt(int[] historyClusters) {
        int from = Math.max(0, historyClusters.length - historyLength);
        List<int[]> history = new ArrayList<>();
        for (int i = from; i < historyClusters.length; i++) {
            int cluster = historyClusters[i];
            if (cluster < 0 || cluster >= descriptions.size()) {
                throw new IllegalArgumentException("historyClusters[" + i + "] = " + cluster + " is outside 0.."
                        + (descriptions.size() - 1));
            }
            history.add(descriptions.get(cluster));
        }
        return PromptFormat.prompt(history);
    }

    @Override
    public List<ScoredCluster> novelInterests(int[] historyClusters, int n) {
        int[] prompt = prompt(historyClusters);
        return ConstrainedDecoder.beamSearch(trie, prompt, historyClusters, n, Math.max(beamWidth, n),
                runner::nextTokenScores);
    }

    /** Unconstrained greedy generations (token ids, no end token) for many histories, batched. */
    public int[][] generateUnconstrained(List<int[]> histories) {
        int[][] prompts = histories.stream().map(this::prompt).toArray(int[][]::new);
        return ConstrainedDecoder.greedy(prompts, trie.maxDepth() + 1, runner::nextTokenScores);
    }

    @Override
    public List<String> generateText(List<int[]> histories) {
        return Arrays.stream(generateUnconstrained(histories)).map(vocabulary::decode).toList();
    }

    @Override
    public int[] novelClusters(int[] history, int n) {
        return novelInterests(history, n).stream().mapToInt(ScoredCluster::cluster).toArray();
    }

    @Override
    public String name() {
        return "interest-lm";
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
