package io.serendip.operator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The runtime container images the operator deploys: the runtime image (the Java runtime with DJL's CPU libtorch),
 * and runtime-cuda (the same on Debian's Python with the LLM component and PyPI's CUDA torch), for pods with GPUs
 * and pods that run the LLM.
 */
public final class RuntimeImage {
  public static final String ENV = "SERENDIP_RUNTIME_IMAGE";
  public static final String PROPERTY = "serendip.runtime.image";
  public static final String CUDA_ENV = "SERENDIP_RUNTIME_CUDA_IMAGE";
  public static final String CUDA_PROPERTY = "serendip.runtime.cuda.image";

  private RuntimeImage() {}

  /** System property, then environment variable, then serendip/runtime:&lt;project version&gt;. */
  public static String get() {
    return configured(PROPERTY, ENV, "serendip/runtime");
  }

  /** System property, then environment variable, then serendip/runtime-cuda:&lt;project version&gt;. */
  public static String cuda() {
    return configured(CUDA_PROPERTY, CUDA_ENV, "serendip/runtime-cuda");
  }

  private static String configured(String property, String env, String repository) {
    String fromProperty = System.getProperty(property);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return fromProperty;
    }
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return repository + ":" + projectVersion();
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
