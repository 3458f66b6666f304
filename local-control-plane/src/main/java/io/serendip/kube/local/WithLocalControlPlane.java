package io.serendip.kube.local;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real local control plane ({@link LocalControlPlane}).
 *
 * <p>Tests receive a Fabric8 {@code KubernetesClient} and the {@link LocalControlPlane} as
 * parameters (constructor, lifecycle or test methods) or in static fields of those types. One control
 * plane is shared by every test class of the JVM and stopped when the JVM exits; isolate tests by
 * namespace ({@link LocalControlPlane#createNamespace}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalControlPlaneExtension.class)
public @interface WithLocalControlPlane {}
