package io.serendip.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RuntimeConfigs#read} on an arbitrary config file: it refuses with a {@link ConfigException}
 * whose every error starts with the field path it is about ({@code (root)} for the document), or the config is valid and survives a
 * write/parse round trip unchanged (the operator writes what the runtime reads).
 */
class RuntimeConfigFuzzTest {
    @TempDir
    static Path dir;

    // libFuzzer dictionary syntax: \\x0A is a line break.
    @DictionaryEntries({"apiVersion: serendip.io/v1alpha1\\x0A", "kind: RouterConfig\\x0A", "kind: RecommenderConfig\\x0A",
        "kind: InterestModelConfig\\x0A", "server:\\x0A", "  port: ", "router:\\x0A", "  arms:\\x0A", "  - name: ", "control: true",
        "weightBasisPoints: ", "explorationShare: ", "backend: http://a:1", "recommender:\\x0A", "interestModel:\\x0A",
        "modelDir: /m", "device: gpu", "null", "~", "yes", "0x1F", "1e999", "-2147483649", "&a ", "*a", "<<: ",
        "!!binary ", "? ", "---\\x0A", "[", "{", "\"", "'"})
    @Timeout(10) // seconds per input: a slower one is a finding (libFuzzer -timeout)
    @FuzzTest(maxDuration = "5s")
    void readRefusesNamingTheFieldOrRoundTrips(byte[] yaml) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.write(file, yaml);
        RuntimeConfig config;
        try {
            config = RuntimeConfigs.read(file);
        } catch (ConfigException refused) {
            // "path: message", the path being (root) or the field (an unknown key is named as written)
            assertThat(refused.errors()).isNotEmpty().allSatisfy(error -> assertThat(error)
                    .matches("(?s)\\S.*?: .+").doesNotStartWith("cannot read").doesNotStartWith("config file"));
            return;
        }
        assertThat(ConfigValidator.validate(config)).isEmpty();
        assertThat(RuntimeConfigs.parse(RuntimeConfigs.write(config))).isEqualTo(config);
    }
}
