package io.serendip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeConfigsTest {

    static final String ROUTER = """
            apiVersion: serendip.io/v1alpha1
            kind: RouterConfig
            server: {port: 8080, maxRequestBytes: 65536, maxHistory: 200, drainSeconds: 10}
            router:
              experiment: quickstart
              salt: "2026-11"
              arms:
                - name: control
                  control: true
                  weightBasisPoints: 5000
                  explorationShare: 0.0
                  backend: http://quickstart-control.ns.svc:8080
                  ready: true
                - name: explore
                  weightBasisPoints: 5000
                  explorationShare: 0.2
                  backend: http://quickstart-explore.ns.svc:8080
                  ready: true
              timeouts: {connectMillis: 500, requestMillis: 2000}
              circuitBreaker: {failureThreshold: 5, openMillis: 10000}
            """;

    static final String RECOMMENDER = """
            apiVersion: serendip.io/v1alpha1
            kind: RecommenderConfig
            recommender:
              modelDir: /artifacts/recommender/v2
              clustersDir: /artifacts/clusters/v1
              noveltyTable: /artifacts/novelty/v1/novelty.bin
            """;

    @Test
    void parsesTheDocumentedRouterExample() {
        RuntimeConfig config = RuntimeConfigs.parse(ROUTER);
        assertThat(config.kind()).isEqualTo(ConfigKind.RouterConfig);
        assertThat(config.router().salt()).isEqualTo("2026-11");
        assertThat(config.router().arms()).extracting(ArmSettings::name).containsExactly("control", "explore");
        assertThat(config.router().arms().get(0).isControl()).isTrue();
        assertThat(config.router().arms().get(1).isControl()).isFalse();
        assertThat(config.router().arms().get(1).explorationShare()).isEqualTo(0.2);
        assertThat(config.router().timeouts().requestMillis()).isEqualTo(2000);
    }

    @Test
    void missingOptionalFieldsTakeDefaults() {
        RuntimeConfig config = RuntimeConfigs.parse(RECOMMENDER);
        assertThat(config.server()).isEqualTo(ServerSettings.defaults());
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.recommender().defaultSlateSize()).isEqualTo(10);
        assertThat(config.recommender().defaultExplorationShare()).isEqualTo(0.2);
        assertThat(config.recommender().device()).isEqualTo(Device.AUTO);
        assertThat(config.recommender().maxBatchSize()).isEqualTo(16);
        assertThat(config.recommender().maxBatchDelayMicros()).isZero();
    }

    @Test
    void writeIsDeterministicAndRoundTrips() {
        RuntimeConfig config = RuntimeConfigs.parse(ROUTER);
        String once = RuntimeConfigs.write(config);
        String twice = RuntimeConfigs.write(RuntimeConfigs.parse(once));
        assertThat(twice).isEqualTo(once);
        assertThat(RuntimeConfigs.parse(once)).isEqualTo(config);
        assertThat(once).doesNotContain("recommender:").doesNotContain("interestModel:");
        assertThat(once.indexOf("apiVersion")).isLessThan(once.indexOf("kind"));
    }

    @Test
    void readsFromFileAndNamesAMissingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, RECOMMENDER);
        assertThat(RuntimeConfigs.read(file).recommender().modelDir()).isEqualTo("/artifacts/recommender/v2");
        assertThatThrownBy(() -> RuntimeConfigs.read(dir.resolve("absent.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("absent.yaml");
    }

    @Test
    void aFileThatIsNotUtf8IsARootError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.write(file, new byte[] {'k', 'i', 'n', 'd', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> RuntimeConfigs.read(file)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.errors()).singleElement().asString().startsWith("(root): ").contains("not UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown top-level field | 'kind: RecommenderConfig'            | 'kind: RecommenderConfig\nextra: 1'  | extra: unknown field",
        "unknown nested field    | 'maxHistory: 200'                    | 'maxHistory: 200, colour: red'       | server.colour: unknown field",
        "mistyped port           | 'port: 8080'                         | 'port: eighty'                       | server.port",
        "weight out of range     | 'weightBasisPoints: 5000\n      explorationShare: 0.2' | 'weightBasisPoints: 10001\n      explorationShare: 0.2' | router.arms[1].weightBasisPoints: must be between 0 and 10000",
        "bad kind                | 'kind: RouterConfig'                 | 'kind: Proxy'                        | kind",
        "bad device              | 'noveltyTable: /artifacts/novelty/v1/novelty.bin' | 'noveltyTable: /x\n  device: tpu' | recommender.device",
        "batch limit of zero     | 'noveltyTable: /artifacts/novelty/v1/novelty.bin' | 'noveltyTable: /x\n  maxBatchSize: 0' | recommender.maxBatchSize: must be between 1 and 256",
        "negative batch delay    | 'noveltyTable: /artifacts/novelty/v1/novelty.bin' | 'noveltyTable: /x\n  maxBatchDelayMicros: -1' | recommender.maxBatchDelayMicros: must be between 0 and 100000",
    })
    void syntaxAndTypeErrorsNameTheField(String name, String find, String replace, String expected) {
        String base = find.contains("weight") || find.contains("RouterConfig") || find.contains("maxHistory")
                || find.contains("port") ? ROUTER : RECOMMENDER;
        String yaml = base.replace(find.replace("\\n", "\n"), replace.replace("\\n", "\n"));
        assertThat(yaml).isNotEqualTo(base);
        assertThatThrownBy(() -> RuntimeConfigs.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void emptyAndNonYamlInputsAreRefused() {
        assertThatThrownBy(() -> RuntimeConfigs.parse("")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> RuntimeConfigs.parse("kind: \"unterminated")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("YAML");
    }

    @Test
    void validationErrorsAreAllReported() {
        String yaml = ROUTER.replace("experiment: quickstart", "experiment: ''")
                .replace("name: explore", "name: Explore_Arm")
                .replace("backend: http://quickstart-control.ns.svc:8080", "backend: ftp://x")
                .replace("connectMillis: 500", "connectMillis: 0");
        ConfigException error = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> RuntimeConfigs.parse(yaml));
        assertThat(error.errors()).anySatisfy(e -> assertThat(e).startsWith("router.experiment: is required"))
                .anySatisfy(e -> assertThat(e).startsWith("router.arms[1].name:"))
                .anySatisfy(e -> assertThat(e).startsWith("router.arms[0].backend: must be an http(s) URL"))
                .anySatisfy(e -> assertThat(e).startsWith("router.timeouts.connectMillis: must be between 1"));
    }

    @Test
    void sectionMustMatchKind() {
        String yaml = RECOMMENDER.replace("kind: RecommenderConfig", "kind: InterestModelConfig");
        assertThatThrownBy(() -> RuntimeConfigs.parse(yaml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("interestModel: is required for kind InterestModelConfig")
                .hasMessageContaining("recommender: is not allowed for kind InterestModelConfig");
    }

    @Test
    void defaultsAreValidForBuiltConfigs() {
        RuntimeConfig config = RuntimeConfig.interestModel(ServerSettings.defaults(),
                new InterestModelSettings("/m", "/c", null, null, null));
        assertThat(ConfigValidator.validate(config)).isEmpty();
        assertThat(RuntimeConfigs.parse(RuntimeConfigs.write(config))).isEqualTo(config);
    }

    @Test
    void routerArmRules() {
        RouterSettings twoControls = new RouterSettings("e", "s", List.of(
                new ArmSettings("a", true, 4000, 0.0, "http://a:1", true),
                new ArmSettings("a", true, 5000, 1.5, "http://b:1", false)), null, null);
        List<String> errors = ConfigValidator.validate(RuntimeConfig.router(null, twoControls));
        assertThat(errors).containsExactlyInAnyOrder(
                "router.arms[1].name: duplicate arm name a",
                "router.arms[1].explorationShare: must be between 0 and 1 (got 1.5)",
                "router.arms: must have exactly one arm with control: true (found 2)",
                "router.arms: weightBasisPoints must sum to 10000 (got 9000)");
    }

    @Test
    void reservedBucketsHoldTheTreatmentArmsWeightAndFitTogether() {
        RouterSettings ramp = new RouterSettings("e", "s", List.of(
                new ArmSettings("control", true, 5000, null, 0.0, "http://c:1", true),
                new ArmSettings("a", false, 3000, 2000, 0.0, "http://a:1", true),
                new ArmSettings("b", false, 2000, 9000, 0.0, "http://b:1", true)), null, null);
        assertThat(ConfigValidator.validate(RuntimeConfig.router(null, ramp))).containsExactlyInAnyOrder(
                "router.arms[1].reservedBasisPoints: must be between the arm's weightBasisPoints (3000) and 10000"
                        + " (got 2000)",
                "router.arms: the treatment arms' reservedBasisPoints (or weights) must sum to at most 10000 (got 11000)");
        RouterSettings valid = new RouterSettings("e", "s", List.of(
                new ArmSettings("control", true, 7500, null, 0.0, "http://c:1", true),
                new ArmSettings("a", false, 2500, 5000, 0.0, "http://a:1", true)), null, null);
        assertThat(ConfigValidator.validate(RuntimeConfig.router(null, valid))).isEmpty();
        assertThat(RuntimeConfigs.parse(RuntimeConfigs.write(RuntimeConfig.router(null, valid))))
                .isEqualTo(RuntimeConfig.router(null, valid));
    }

    @Test
    void aShadowArmHasItsOwnNameAMirroredShareAndABackend() {
        List<ArmSettings> arms = List.of(new ArmSettings("control", true, 10_000, 0.0, "http://c:1", true));
        RouterSettings bad = new RouterSettings("e", "s", arms, null, null, null, null,
                new ShadowSettings("control", 0, 1.5, "ftp://x", true));
        assertThat(ConfigValidator.validate(RuntimeConfig.router(null, bad))).containsExactlyInAnyOrder(
                "router.shadow.name: must differ from every arm's name (got control)",
                "router.shadow.mirrorBasisPoints: must be between 1 and 10000 (got 0)",
                "router.shadow.explorationShare: must be between 0 and 1 (got 1.5)",
                "router.shadow.backend: must be an http(s) URL with a host (got ftp://x)");
        RouterSettings valid = new RouterSettings("e", "s", arms, null, null, null, null,
                new ShadowSettings("candidate", 1000, 0.2, "http://s:1", true));
        assertThat(ConfigValidator.validate(RuntimeConfig.router(null, valid))).isEmpty();
        assertThat(RuntimeConfigs.parse(RuntimeConfigs.write(RuntimeConfig.router(null, valid))))
                .isEqualTo(RuntimeConfig.router(null, valid));
    }
}
