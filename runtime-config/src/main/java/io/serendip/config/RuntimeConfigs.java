package io.serendip.config;

import java.nio.file.Path;
import java.util.List;

/** Reads, validates and writes {@link RuntimeConfig} YAML. */
public final class RuntimeConfigs {
    private RuntimeConfigs() {
    }

    /** Reads and validates a config file; throws {@link ConfigException} naming every bad field. */
    public static RuntimeConfig read(Path file) {
        return parse(ConfigYaml.readText(file));
    }

    /** Parses and validates config YAML. */
    public static RuntimeConfig parse(String yaml) {
        RuntimeConfig config = parseUnchecked(yaml);
        List<String> errors = ConfigValidator.validate(config);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config;
    }

    /** Parses config YAML without the semantic checks (syntax, types and unknown fields only). */
    public static RuntimeConfig parseUnchecked(String yaml) {
        return ConfigYaml.parse(yaml, RuntimeConfig.class);
    }

    /** Deterministic YAML: same config, same bytes (fields in declaration order, nulls omitted). */
    public static String write(RuntimeConfig config) {
        return ConfigYaml.write(config);
    }
}
