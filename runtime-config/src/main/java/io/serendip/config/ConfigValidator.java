package io.serendip.config;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pure checks of a parsed {@link RuntimeConfig}. Each error names the field path, for example
 * {@code router.arms[1].weightBasisPoints: must be between 0 and 10000}. An empty list means valid.
 */
public final class ConfigValidator {
    public static final int TOTAL_BASIS_POINTS = 10_000;
    private static final Pattern ARM_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9]{0,63}");

    private ConfigValidator() {
    }

    public static List<String> validate(RuntimeConfig config) {
        FieldErrors errors = new FieldErrors();
        if (!RuntimeConfig.API_VERSION.equals(config.apiVersion())) {
            errors.add("apiVersion", "must be " + RuntimeConfig.API_VERSION + " (got " + config.apiVersion() + ")");
        }
        validateServer(config.server(), errors);
        if (config.kind() == null) {
            errors.add("kind", "is required: one of RecommenderConfig, InterestModelConfig, RouterConfig");
            return errors.list;
        }
        requireOnlySection(config, errors);
        switch (config.kind()) {
            case RecommenderConfig -> {
                if (config.recommender() != null) {
                    validateRecommender(config.recommender(), errors);
                }
            }
            case InterestModelConfig -> {
                if (config.interestModel() != null) {
                    validateInterestModel(config.interestModel(), errors);
                }
            }
            case RouterConfig -> {
                if (config.router() != null) {
                    validateRouter(config.router(), errors);
                }
            }
        }
        return errors.list;
    }

    private static void requireOnlySection(RuntimeConfig config, FieldErrors errors) {
        String[] names = {"recommender", "interestModel", "router"};
        Object[] sections = {config.recommender(), config.interestModel(), config.router()};
        int wanted = config.kind().ordinal();
        for (int i = 0; i < names.length; i++) {
            if (i == wanted && sections[i] == null) {
                errors.add(names[i], "is required for kind " + config.kind());
            } else if (i != wanted && sections[i] != null) {
                errors.add(names[i], "is not allowed for kind " + config.kind());
            }
        }
    }

    private static void validateServer(ServerSettings server, FieldErrors errors) {
        errors.range("server.port", server.port(), 0, 65_535); // 0 picks a free port (local runs, tests)
        errors.range("server.maxRequestBytes", server.maxRequestBytes(), 64, 64 * 1024 * 1024);
        errors.range("server.maxHistory", server.maxHistory(), 1, 100_000);
        errors.range("server.drainSeconds", server.drainSeconds(), 0, 3_600);
    }

    private static void validateRecommender(RecommenderSettings r, FieldErrors errors) {
        errors.required("recommender.modelDir", r.modelDir());
        errors.required("recommender.clustersDir", r.clustersDir());
        errors.required("recommender.noveltyTable", r.noveltyTable());
        errors.range("recommender.defaultSlateSize", r.defaultSlateSize(), 1, 1_000);
        errors.share("recommender.defaultExplorationShare", r.defaultExplorationShare());
        errors.range("recommender.maxBatchSize", r.maxBatchSize(), 1, 256);
        errors.range("recommender.maxBatchDelayMicros", r.maxBatchDelayMicros(), 0,
                RecommenderSettings.MAX_BATCH_DELAY_MICROS);
    }

    private static void validateInterestModel(InterestModelSettings m, FieldErrors errors) {
        errors.required("interestModel.modelDir", m.modelDir());
        errors.required("interestModel.clustersDir", m.clustersDir());
        errors.range("interestModel.historyLength", m.historyLength(), 1, 16);
        errors.range("interestModel.candidates", m.candidates(), 1, 1_000);
    }

    private static void validateRouter(RouterSettings router, FieldErrors errors) {
        errors.required("router.experiment", router.experiment());
        errors.required("router.salt", router.salt());
        if (router.arms().isEmpty()) {
            errors.add("router.arms", "must list at least one arm");
        }
        Set<String> names = new HashSet<>();
        int controls = 0;
        long weightSum = 0;
        for (int i = 0; i < router.arms().size(); i++) {
            String path = "router.arms[" + i + "]";
            ArmSettings arm = router.arms().get(i);
            if (arm == null) {
                errors.add(path, "must not be null");
                continue;
            }
            if (arm.name() == null || !ARM_NAME.matcher(arm.name()).matches()) {
                errors.add(path + ".name", "must be lower-case letters, digits and '-', at most 63 characters (got " + arm.name() + ")");
            } else if (!names.add(arm.name())) {
                errors.add(path + ".name", "duplicate arm name " + arm.name());
            }
            if (arm.isControl()) {
                controls++;
            }
            if (arm.weightBasisPoints() == null) {
                errors.add(path + ".weightBasisPoints", "is required");
            } else {
                errors.range(path + ".weightBasisPoints", arm.weightBasisPoints(), 0, TOTAL_BASIS_POINTS);
                weightSum += arm.weightBasisPoints();
            }
            errors.share(path + ".explorationShare", arm.explorationShare());
            validateBackend(path + ".backend", arm.backend(), errors);
        }
        if (!router.arms().isEmpty() && controls != 1) {
            errors.add("router.arms", "must have exactly one arm with control: true (found " + controls + ")");
        }
        if (!router.arms().isEmpty() && weightSum != TOTAL_BASIS_POINTS) {
            errors.add("router.arms", "weightBasisPoints must sum to " + TOTAL_BASIS_POINTS + " (got " + weightSum + ")");
        }
        long reservedSum = 0;
        for (int i = 0; i < router.arms().size(); i++) {
            ArmSettings arm = router.arms().get(i);
            if (arm == null || arm.isControl() || arm.weightBasisPoints() == null) {
                continue;
            }
            String path = "router.arms[" + i + "].reservedBasisPoints";
            if (arm.reservedBasisPoints() != null && (arm.reservedBasisPoints() < arm.weightBasisPoints()
                    || arm.reservedBasisPoints() > TOTAL_BASIS_POINTS)) {
                errors.add(path, "must be between the arm's weightBasisPoints (" + arm.weightBasisPoints() + ") and "
                        + TOTAL_BASIS_POINTS + " (got " + arm.reservedBasisPoints() + ")");
            }
            reservedSum += arm.reservedOrWeight();
        }
        if (reservedSum > TOTAL_BASIS_POINTS) {
            errors.add("router.arms", "the treatment arms' reservedBasisPoints (or weights) must sum to at most "
                    + TOTAL_BASIS_POINTS + " (got " + reservedSum + ")");
        }
        ShadowSettings shadow = router.shadow();
        if (shadow != null) {
            if (shadow.name() == null || !ARM_NAME.matcher(shadow.name()).matches()) {
                errors.add("router.shadow.name", "must be lower-case letters, digits and '-', at most 63 characters (got "
                        + shadow.name() + ")");
            } else if (names.contains(shadow.name())) {
                errors.add("router.shadow.name", "must differ from every arm's name (got " + shadow.name() + ")");
            }
            if (shadow.mirrorBasisPoints() == null) {
                errors.add("router.shadow.mirrorBasisPoints", "is required");
            } else {
                errors.range("router.shadow.mirrorBasisPoints", shadow.mirrorBasisPoints(), 1, TOTAL_BASIS_POINTS);
            }
            errors.share("router.shadow.explorationShare", shadow.explorationShare());
            validateBackend("router.shadow.backend", shadow.backend(), errors);
        }
        FeedbackSettings feedback = router.feedback();
        errors.range("router.feedback.windowSeconds", feedback.windowSeconds(), 60, 604_800);
        errors.range("router.feedback.expectedPerWindow", feedback.expectedPerWindow(), 1000, 100_000_000);
        if (feedback.keyFile() != null && feedback.keyFile().isBlank()) {
            errors.add("router.feedback.keyFile", "must be a path when set");
        }
        header(router.assignment().keyHeader(), "router.assignment.keyHeader", errors);
        header(router.assignment().overrideHeader(), "router.assignment.overrideHeader", errors);
        if (router.assignment().keyHeader() != null
                && router.assignment().keyHeader().equalsIgnoreCase(router.assignment().overrideHeader())) {
            errors.add("router.assignment.overrideHeader", "must differ from keyHeader");
        }
        errors.range("router.timeouts.connectMillis", router.timeouts().connectMillis(), 1, 600_000);
        errors.range("router.timeouts.requestMillis", router.timeouts().requestMillis(), 1, 600_000);
        errors.range("router.circuitBreaker.failureThreshold", router.circuitBreaker().failureThreshold(), 1, 1_000_000);
        errors.range("router.circuitBreaker.openMillis", router.circuitBreaker().openMillis(), 1, 3_600_000);
    }

    private static void header(String name, String path, FieldErrors errors) {
        if (name != null && !HEADER_NAME.matcher(name).matches()) {
            errors.add(path, "must be an HTTP header name: letters, digits and '-', at most 64 characters (got "
                    + name + ")");
        }
    }

    private static void validateBackend(String path, String backend, FieldErrors errors) {
        if (backend == null || backend.isBlank()) {
            errors.add(path, "is required");
            return;
        }
        try {
            URI uri = new URI(backend);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            if (!http || uri.getHost() == null) {
                errors.add(path, "must be an http(s) URL with a host (got " + backend + ")");
            }
        } catch (Exception e) {
            errors.add(path, "is not a valid URL (got " + backend + ")");
        }
    }
}
