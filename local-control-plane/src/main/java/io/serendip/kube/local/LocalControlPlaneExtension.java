package io.serendip.kube.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** JUnit 5 extension behind {@link WithLocalControlPlane}. */
public final class LocalControlPlaneExtension implements BeforeAllCallback, ParameterResolver {

  /** One control plane per JVM, started on first use and stopped by a shutdown hook. */
  private static final class Shared {
    static final LocalControlPlane CONTROL_PLANE = LocalControlPlane.start();
    static final KubernetesClient CLIENT = CONTROL_PLANE.newClient();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        CLIENT.close();
        CONTROL_PLANE.close();
      }, "serendip-control-plane-shutdown"));
    }
  }

  public static LocalControlPlane controlPlane() {
    return Shared.CONTROL_PLANE;
  }

  public static KubernetesClient client() {
    return Shared.CLIENT;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())) {
          continue;
        }
        Object value = valueFor(f.getType());
        if (value != null) {
          f.setAccessible(true);
          f.set(null, value);
        }
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> type = pc.getParameter().getType();
    return type == KubernetesClient.class || type == LocalControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    Object value = valueFor(pc.getParameter().getType());
    if (value == null) {
      throw new ParameterResolutionException("unsupported parameter " + pc.getParameter());
    }
    return value;
  }

  private static Object valueFor(Class<?> type) {
    if (type == KubernetesClient.class) {
      return client();
    }
    if (type == LocalControlPlane.class) {
      return controlPlane();
    }
    return null;
  }
}
