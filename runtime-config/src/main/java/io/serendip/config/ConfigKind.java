package io.serendip.config;

/** Which server a config file is for; each kind carries exactly one matching section. */
public enum ConfigKind {
    RecommenderConfig,
    InterestModelConfig,
    RouterConfig
}
