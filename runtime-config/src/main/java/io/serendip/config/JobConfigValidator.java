package io.serendip.config;

import java.util.List;

/**
 * Pure checks of a parsed {@link JobConfig}, run by the operator before it writes one and by the job before it
 * starts. Each error names the field path, e.g. {@code noveltyMerge.minRecall: must be between 0 and 1 (got 2.0)}.
 */
public final class JobConfigValidator {
    private static final String[] SECTIONS = {
        "clusterBuild", "interestModelTraining", "recommenderTraining", "noveltyPrecompute", "noveltyMerge",
        "artifactCleanup"};

    private JobConfigValidator() {
    }

    public static List<String> validate(JobConfig config) {
        FieldErrors errors = new FieldErrors();
        if (!RuntimeConfig.API_VERSION.equals(config.apiVersion())) {
            errors.add("apiVersion", "must be " + RuntimeConfig.API_VERSION + " (got " + config.apiVersion() + ")");
        }
        if (config.kind() == null) {
            errors.add("kind", "is required: one of " + List.of(JobKind.values()));
            return errors.list;
        }
        Object[] sections = {config.clusterBuild(), config.interestModelTraining(), config.recommenderTraining(),
            config.noveltyPrecompute(), config.noveltyMerge(), config.artifactCleanup()};
        int wanted = config.kind().ordinal();
        for (int i = 0; i < sections.length; i++) {
            if (i == wanted && sections[i] == null) {
                errors.add(SECTIONS[i], "is required for kind " + config.kind());
            } else if (i != wanted && sections[i] != null) {
                errors.add(SECTIONS[i], "is not allowed for kind " + config.kind());
            }
        }
        if (config.section() == null) {
            return errors.list;
        }
        switch (config.kind()) {
            case ClusterBuild -> clusterBuild(config.clusterBuild(), errors);
            case InterestModelTraining -> interestModelTraining(config.interestModelTraining(), errors);
            case RecommenderTraining -> recommenderTraining(config.recommenderTraining(), errors);
            case NoveltyPrecompute -> noveltyPrecompute(config.noveltyPrecompute(), errors);
            case NoveltyMerge -> noveltyMerge(config.noveltyMerge(), errors);
            case ArtifactCleanup -> artifactCleanup(config.artifactCleanup(), errors);
        }
        return errors.list;
    }

    private static void clusterBuild(ClusterBuildSettings s, FieldErrors errors) {
        errors.required("clusterBuild.catalogFormat", s.catalogFormat());
        errors.absolutePath("clusterBuild.catalog", s.catalog());
        errors.required("clusterBuild.embedding", s.embedding());
        if (s.embedding() == ClusterBuildSettings.Embedding.CoOccurrence) {
            errors.required("clusterBuild.dimension", s.dimension());
            errors.optionalRange("clusterBuild.dimension", s.dimension(), 2, 1_024);
        } else if (s.embedding() == ClusterBuildSettings.Embedding.ItemTextEncoder) {
            errors.required("clusterBuild.textModel", s.textModel());
        }
        if (s.levels().isEmpty()) {
            errors.add("clusterBuild.levels", "must list at least one level");
        }
        for (int i = 0; i < s.levels().size(); i++) {
            Integer clusters = s.levels().get(i);
            if (clusters == null || clusters < 2) {
                errors.add("clusterBuild.levels[" + i + "]", "must be at least 2 clusters (got " + clusters + ")");
            } else if (i > 0 && s.levels().get(i - 1) != null && clusters <= s.levels().get(i - 1)) {
                errors.add("clusterBuild.levels[" + i + "]", "must be finer than the level before (got " + clusters + ")");
            }
        }
        errors.optionalRange("clusterBuild.keywords", s.keywords(), 1, 50);
        errors.absolutePath("clusterBuild.output", s.output());
    }

    private static void interestModelTraining(InterestModelTrainingSettings s, FieldErrors errors) {
        errors.absolutePath("interestModelTraining.clusters", s.clusters());
        errors.absolutePath("interestModelTraining.output", s.output());
        errors.required("interestModelTraining.method", s.method());
        if (s.method() == InterestModelTrainingSettings.Method.FromScratch) {
            for (String field : List.of("baseModel", "baseModelSha256", "loraRank", "maxExamples")) {
                Object value = switch (field) {
                    case "baseModel" -> s.baseModel();
                    case "baseModelSha256" -> s.baseModelSha256();
                    case "loraRank" -> s.loraRank();
                    default -> s.maxExamples();
                };
                if (value != null) {
                    errors.add("interestModelTraining." + field, "applies to method FineTune only");
                }
            }
        }
        if (s.baseModelSha256() != null && !s.baseModelSha256().matches("[0-9a-f]{64}")) {
            errors.add("interestModelTraining.baseModelSha256", "must be 64 lower-case hex digits");
        }
        errors.optionalRange("interestModelTraining.loraRank", s.loraRank(), 1, 256);
        errors.optionalRange("interestModelTraining.maxExamples", s.maxExamples(), 1, 10_000_000);
        errors.optionalRange("interestModelTraining.hidden", s.hidden(), 8, 4_096);
        errors.optionalRange("interestModelTraining.layers", s.layers(), 1, 48);
        errors.optionalRange("interestModelTraining.historyLength", s.historyLength(), 1, 4);
        errors.optionalRange("interestModelTraining.epochs", s.epochs(), 1, 10_000);
        errors.optionalRange("interestModelTraining.batchSize", s.batchSize(), 1, 65_536);
        positiveRate("interestModelTraining.learningRate", s.learningRate(), errors);
        errors.optionalRange("interestModelTraining.maxGateCases", s.maxGateCases(), 10, 1_000_000);
    }

    private static void recommenderTraining(RecommenderTrainingSettings s, FieldErrors errors) {
        errors.absolutePath("recommenderTraining.clusters", s.clusters());
        errors.absolutePath("recommenderTraining.output", s.output());
        errors.optionalRange("recommenderTraining.maxLength", s.maxLength(), 2, 10_000);
        errors.optionalRange("recommenderTraining.hidden", s.hidden(), 8, 4_096);
        errors.optionalRange("recommenderTraining.layers", s.layers(), 1, 48);
        errors.optionalRange("recommenderTraining.heads", s.heads(), 1, 64);
        if (s.hidden() != null && s.heads() != null && s.heads() > 0 && s.hidden() % s.heads() != 0) {
            errors.add("recommenderTraining.heads", "must divide hidden (" + s.hidden() + ")");
        }
        errors.optionalRange("recommenderTraining.epochs", s.epochs(), 1, 10_000);
        errors.optionalRange("recommenderTraining.batchSize", s.batchSize(), 1, 65_536);
        positiveRate("recommenderTraining.learningRate", s.learningRate(), errors);
    }

    private static void noveltyPrecompute(NoveltyPrecomputeSettings s, FieldErrors errors) {
        errors.absolutePath("noveltyPrecompute.clusters", s.clusters());
        errors.optionalAbsolutePath("noveltyPrecompute.interestModel", s.interestModel());
        errors.optionalRange("noveltyPrecompute.historyLength", s.historyLength(), 1, 4);
        errors.optionalRange("noveltyPrecompute.candidates", s.candidates(), 1, 1_000);
        errors.optionalRange("noveltyPrecompute.beamWidth", s.beamWidth(), 1, 64);
        errors.required("noveltyPrecompute.shards", s.shards());
        errors.optionalRange("noveltyPrecompute.shards", s.shards(), 1, 100_000);
        errors.absolutePath("noveltyPrecompute.output", s.output());
    }

    private static void noveltyMerge(NoveltyMergeSettings s, FieldErrors errors) {
        errors.absolutePath("noveltyMerge.shards", s.shards());
        errors.absolutePath("noveltyMerge.clusters", s.clusters());
        errors.absolutePath("noveltyMerge.output", s.output());
        errors.optionalAbsolutePath("noveltyMerge.interestModel", s.interestModel());
        errors.optionalRange("noveltyMerge.minExactMatchRate", s.minExactMatchRate(), 0, 1);
        errors.optionalRange("noveltyMerge.minRecall", s.minRecall(), 0, 1);
        if (s.interestModel() == null && (s.minExactMatchRate() != null || s.minRecall() != null)) {
            errors.add("noveltyMerge.interestModel", "is required when a gate is set");
        }
    }

    private static void artifactCleanup(ArtifactCleanupSettings s, FieldErrors errors) {
        errors.absolutePath("artifactCleanup.root", s.root());
        if (s.paths().isEmpty()) {
            errors.add("artifactCleanup.paths", "must list at least one path");
        }
        for (int i = 0; i < s.paths().size(); i++) {
            String path = s.paths().get(i);
            String field = "artifactCleanup.paths[" + i + "]";
            errors.absolutePath(field, path);
            if (path != null && path.startsWith("/") && s.root() != null && !ArtifactLayout.isStrictlyInside(s.root(), path)) {
                errors.add(field, "must lie strictly inside " + s.root() + " without . or .. (got " + path + ")");
            }
        }
    }

    private static void positiveRate(String path, Double rate, FieldErrors errors) {
        if (rate != null && !(rate > 0 && rate <= 1)) {
            errors.add(path, "must be above 0 and at most 1 (got " + rate + ")");
        }
    }
}
