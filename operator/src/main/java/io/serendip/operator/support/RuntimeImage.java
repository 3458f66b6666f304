package io.serendip.operator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The runtime container image the operator deploys. */
public final class RuntimeImage {
  public static final String ENV = "SERENDIP_RUNTIME_IMAGE";
  public static final String PROPERTY = "serendip.runtime.image";

  private RuntimeImage() {}

  /** System property, then environment variable, then serendip/runtime:&lt;project version&gt;. */
  public static String get() {
    String fromProperty = System.getProperty(PROPERTY);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return fromProperty;
    }
    String fromEnv = System.getenv(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return "serendip/runtime:" + projectVersion();
  }

  public static String projectVersion() {
    try (InputStream in = RuntimeImage.class.getResourceAsStream("/serendip-operator.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
