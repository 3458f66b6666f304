package io.serendip.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The strict YAML binding every config file shares (server configs and Job configs): unknown fields, nulls for
 * primitives, trailing documents and scalar coercion are errors that name the field path; writing is deterministic.
 */
final class ConfigYaml {
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ConfigYaml() {
    }

    static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException("(root): config file " + file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Syntax, types and unknown fields only; the semantic checks are each config type's validator. */
    static <T> T parse(String yaml, Class<T> type) {
        if (yaml == null || yaml.isBlank()) {
            throw new ConfigException(List.of("(root): config is empty"));
        }
        try {
            T config = YAML.readValue(yaml, type);
            if (config == null) {
                throw new ConfigException(List.of("(root): config is empty"));
            }
            return config;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(pathOf(e) + ": unknown field (known: " + e.getKnownPropertyIds() + ")", e);
        } catch (JsonMappingException e) {
            throw new ConfigException(pathOf(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse("invalid value"), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException("(root): not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    /** Same config, same bytes (fields in declaration order, nulls omitted). */
    static String write(Object config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise config", e);
        }
    }

    /** Dotted field path such as {@code router.arms[1].weightBasisPoints}. */
    static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(root)" : path.toString();
    }
}
