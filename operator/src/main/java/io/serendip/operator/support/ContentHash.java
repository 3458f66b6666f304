package io.serendip.operator.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, stable content hash put on pod templates so that a config change rolls the pods. */
public final class ContentHash {
  public static final String CONFIG_HASH_ANNOTATION = "serendip.io/config-hash";

  private static final com.fasterxml.jackson.databind.ObjectMapper SORTED_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ContentHash() {}

  /**
   * The version named by what shapes an artifact: {@code v} and the hash of {@code inputs} as JSON with sorted
   * keys, so the same inputs give the same version whatever order they were put in.
   */
  public static String version(java.util.Map<String, Object> inputs) {
    try {
      return "v" + of(SORTED_JSON.writeValueAsString(inputs));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a spec is always serialisable", e);
    }
  }

  public static String of(String content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
