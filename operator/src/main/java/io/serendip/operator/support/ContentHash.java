package io.serendip.operator.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, stable content hash put on pod templates so that a config change rolls the pods. */
public final class ContentHash {
  public static final String CONFIG_HASH_ANNOTATION = "serendip.io/config-hash";

  private ContentHash() {}

  public static String of(String content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
