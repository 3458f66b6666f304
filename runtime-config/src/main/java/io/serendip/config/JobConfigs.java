package io.serendip.config;

import java.nio.file.Path;
import java.util.List;

/** Reads, validates and writes {@link JobConfig} YAML. */
public final class JobConfigs {
    private JobConfigs() {
    }

    /** Reads and validates a Job config file; throws {@link ConfigException} naming every bad field. */
    public static JobConfig read(Path file) {
        return parse(ConfigYaml.readText(file));
    }

    public static JobConfig parse(String yaml) {
        JobConfig config = ConfigYaml.parse(yaml, JobConfig.class);
        List<String> errors = JobConfigValidator.validate(config);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config;
    }

    /** Deterministic YAML: same config, same bytes. */
    public static String write(JobConfig config) {
        return ConfigYaml.write(config);
    }
}
