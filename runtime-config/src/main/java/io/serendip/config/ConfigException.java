package io.serendip.config;

import java.util.List;

/** A config file that cannot be used; {@link #errors()} names each offending field path. */
public class ConfigException extends RuntimeException {
    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super("invalid config: " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(String error, Throwable cause) {
        super("invalid config: " + error, cause);
        this.errors = List.of(error);
    }

    public List<String> errors() {
        return errors;
    }
}
