package io.serendip.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JobConfigs#read} on an arbitrary Job config file: a {@link ConfigException} whose every error starts with
 * the field path, or a valid config that survives a write/parse round trip (what the operator writes, the job reads).
 */
class JobConfigFuzzTest {
    @TempDir
    static Path dir;

    @DictionaryEntries({"apiVersion: serendip.io/v1alpha1\\x0A", "kind: ClusterBuild\\x0A", "kind: NoveltyMerge\\x0A",
        "kind: NoveltyPrecompute\\x0A", "kind: InterestModelTraining\\x0A", "kind: RecommenderTraining\\x0A",
        "kind: ArtifactCleanup\\x0A", "artifactCleanup:\\x0A", "  root: /artifacts\\x0A", "  paths: [/artifacts/", "..",
        "clusterBuild:\\x0A", "noveltyMerge:\\x0A", "noveltyPrecompute:\\x0A", "interestModelTraining:\\x0A",
        "recommenderTraining:\\x0A", "  levels: [", "  output: /o\\x0A", "  clusters: /c\\x0A", "  shards: ",
        "method: FromScratch", "embedding: CoOccurrence", "catalogFormat: Dataset", "minRecall: ", "null", "~", "yes",
        "1e999", "-2147483649", "&a ", "*a", "---\\x0A", "[", "{", "\""})
    @Timeout(10)
    @FuzzTest(maxDuration = "5s")
    void readRefusesNamingTheFieldOrRoundTrips(byte[] yaml) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.write(file, yaml);
        JobConfig config;
        try {
            config = JobConfigs.read(file);
        } catch (ConfigException refused) {
            assertThat(refused.errors()).isNotEmpty().allSatisfy(error -> assertThat(error)
                    .matches("(?s)\\S.*?: .+").doesNotStartWith("cannot read").doesNotStartWith("config file"));
            return;
        }
        assertThat(JobConfigValidator.validate(config)).isEmpty();
        assertThat(JobConfigs.parse(JobConfigs.write(config))).isEqualTo(config);
    }
}
