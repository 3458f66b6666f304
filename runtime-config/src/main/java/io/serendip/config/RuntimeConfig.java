package io.serendip.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One server process's configuration: the YAML file the operator writes into a ConfigMap and the
 * runtime reads with {@code --config}. Exactly the section matching {@link #kind()} is present.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuntimeConfig(
        @JsonPropertyDescription("Config schema version; must be " + RuntimeConfig.API_VERSION + ".")
        String apiVersion,
        @JsonPropertyDescription("RecommenderConfig, InterestModelConfig or RouterConfig.")
        ConfigKind kind,
        @JsonPropertyDescription("HTTP server settings shared by every kind.")
        ServerSettings server,
        @JsonPropertyDescription("Recommender server settings (RecommenderConfig only).")
        RecommenderSettings recommender,
        @JsonPropertyDescription("Interest-model server settings (InterestModelConfig only).")
        InterestModelSettings interestModel,
        @JsonPropertyDescription("Router settings (RouterConfig only).")
        RouterSettings router) {

    public static final String API_VERSION = "serendip.io/v1alpha1";

    public RuntimeConfig {
        server = server == null ? ServerSettings.defaults() : server;
    }

    public static RuntimeConfig recommender(ServerSettings server, RecommenderSettings recommender) {
        return new RuntimeConfig(API_VERSION, ConfigKind.RecommenderConfig, server, recommender, null, null);
    }

    public static RuntimeConfig interestModel(ServerSettings server, InterestModelSettings interestModel) {
        return new RuntimeConfig(API_VERSION, ConfigKind.InterestModelConfig, server, null, interestModel, null);
    }

    public static RuntimeConfig router(ServerSettings server, RouterSettings router) {
        return new RuntimeConfig(API_VERSION, ConfigKind.RouterConfig, server, null, null, router);
    }
}
