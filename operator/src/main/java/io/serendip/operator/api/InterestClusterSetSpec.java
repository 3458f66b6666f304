package io.serendip.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What clusters to build. Any change bumps metadata.generation and so triggers a rebuild into a new
 * artifact version; referring models pick the new version up on their next rollout.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.servingLevel < size(self.levels)",
    message = "servingLevel must index one of levels",
    fieldPath = ".servingLevel")
public class InterestClusterSetSpec {
  @Required
  @JsonPropertyDescription("The item catalog and engagement log to cluster.")
  public Catalog catalog;

  @Required
  @JsonPropertyDescription("How item embeddings are obtained.")
  public Embedding embedding;

  @Required
  @Size(min = 1, max = 4)
  @JsonPropertyDescription(
      "Hierarchy levels, coarse to fine; each level partitions the items into the given number of"
          + " clusters.")
  @ValidationRule(
      value = "self.map(l, l.clusters).isSorted()",
      message = "levels must be ordered coarse to fine (non-decreasing clusters)")
  public List<Level> levels;

  @Min(0)
  @Max(3)
  @Default("0")
  @JsonPropertyDescription("Index into levels of the level whose clusters are served (the exploration granularity).")
  public Integer servingLevel = 0;

  @JsonPropertyDescription("How cluster descriptions (keywords) are produced.")
  public Describer describer;

  @Min(0)
  @Default("42")
  @JsonPropertyDescription("Random seed; the same spec and seed give the same clusters.")
  public Long seed = 42L;

  @JsonPropertyDescription("Where the cluster artifact is written; mounted at /artifacts.")
  public ArtifactStorage storage;

  @JsonPropertyDescription("Pod settings for the build Job.")
  public PodOverrides pod;

  /** Source of items and interactions. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Catalog {
    @Required
    @JsonPropertyDescription("Catalog format: MovieLens100K (the ml-100k directory: u.item/u.data), Sequences (a file,"
        + " one line per user: user item item ..., chronological) or Dataset (a directory with Serendip's"
        + " catalog.jsonl and interactions.jsonl, as the runtime's import and generate jobs write).")
    public CatalogFormat format;

    @Required
    @Size(min = 1, max = 512)
    @Pattern("^/.*")
    @JsonPropertyDescription("Absolute path of the catalog directory (file for Sequences) inside the artifact volume.")
    public String path;
  }

  /** Supported catalog formats. */
  public enum CatalogFormat {
    MovieLens100K,
    Sequences,
    Dataset
  }

  /** Item embedding source. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "self.source != 'ItemTextEncoder' || has(self.encoder)",
      message = "encoder is required when source is ItemTextEncoder",
      fieldPath = ".encoder")
  @ValidationRule(
      value = "!has(self.encoder) || self.encoder in ['all-MiniLM-L6-v2', 'all-MiniLM-L6-v2-q']",
      message = "encoder must be all-MiniLM-L6-v2 or all-MiniLM-L6-v2-q (int8-quantized), the sentence encoders the runtime ships",
      fieldPath = ".encoder")
  public static class Embedding {
    @Required
    @JsonPropertyDescription(
        "ItemTextEncoder embeds item text with a sentence encoder; CoOccurrence factorises the"
            + " engagement co-occurrence matrix.")
    public EmbeddingSource source;

    @Size(min = 1, max = 128)
    @JsonPropertyDescription("Encoder model name for ItemTextEncoder: all-MiniLM-L6-v2, or all-MiniLM-L6-v2-q, its"
        + " int8-quantized build (a quarter of the size, faster on CPU).")
    public String encoder;

    @Min(2)
    @Max(4096)
    @Default("64")
    @JsonPropertyDescription("Embedding dimension for CoOccurrence.")
    public Integer dimension = 64;
  }

  /** Embedding sources. */
  public enum EmbeddingSource {
    ItemTextEncoder,
    CoOccurrence
  }

  /** One hierarchy level. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Level {
    @Required
    @Min(2)
    @Max(100000)
    @JsonPropertyDescription("Number of clusters at this level.")
    public Integer clusters;
  }

  /** Cluster describer settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Describer {
    @Min(1)
    @Max(20)
    @Default("5")
    @JsonPropertyDescription("Keywords per cluster description.")
    public Integer keywords = 5;
  }
}
