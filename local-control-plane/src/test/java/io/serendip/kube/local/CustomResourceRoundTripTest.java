package io.serendip.kube.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithLocalControlPlane
class CustomResourceRoundTripTest {
  static KubernetesClient client;
  static LocalControlPlane controlPlane;
  static String namespace;

  private static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: gadgets.test.serendip.io
      spec:
        group: test.serendip.io
        scope: Namespaced
        names: {plural: gadgets, singular: gadget, kind: Gadget}
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [size]
                  x-kubernetes-validations:
                  - rule: "self.size <= self.limit"
                    message: "spec.size must not exceed spec.limit"
                  properties:
                    size: {type: integer, minimum: 1}
                    limit: {type: integer, default: 10}
                    colour: {type: string}
      """;

  private static final ResourceDefinitionContext GADGETS = new ResourceDefinitionContext.Builder()
      .withGroup("test.serendip.io").withVersion("v1").withPlural("gadgets").withKind("Gadget")
      .withNamespaced(true).build();

  @BeforeAll
  static void installCrd() {
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .load(new ByteArrayInputStream(CRD.getBytes(StandardCharsets.UTF_8))).item();
    client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    client.apiextensions().v1().customResourceDefinitions().withName("gadgets.test.serendip.io")
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
            && c.getStatus().getConditions().stream()
            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
            60, TimeUnit.SECONDS);
    namespace = controlPlane.createNamespace(client, "crd");
  }

  @Test
  void objectRoundTripsWithServerDefaults() {
    GenericKubernetesResource gadget = new GenericKubernetesResourceBuilder()
        .withApiVersion("test.serendip.io/v1").withKind("Gadget")
        .withNewMetadata().withName("g1").withNamespace(namespace).endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", 3, "colour", "teal"))
        .build();
    client.genericKubernetesResources(GADGETS).inNamespace(namespace).resource(gadget).create();

    GenericKubernetesResource read = client.genericKubernetesResources(GADGETS)
        .inNamespace(namespace).withName("g1").get();
    assertThat(read.getMetadata().getUid()).isNotBlank();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) read.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("size", 3).containsEntry("colour", "teal")
        // the structural-schema default is applied by the API server, not by the client
        .containsEntry("limit", 10);
  }

  @Test
  void apiServerEnforcesOpenApiAndCelValidation() {
    GenericKubernetesResource tooBig = new GenericKubernetesResourceBuilder()
        .withApiVersion("test.serendip.io/v1").withKind("Gadget")
        .withNewMetadata().withName("too-big").withNamespace(namespace).endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", 11))
        .build();
    assertThatThrownBy(() -> client.genericKubernetesResources(GADGETS).inNamespace(namespace)
        .resource(tooBig).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.size must not exceed spec.limit");

    GenericKubernetesResource zero = new GenericKubernetesResourceBuilder()
        .withApiVersion("test.serendip.io/v1").withKind("Gadget")
        .withNewMetadata().withName("zero").withNamespace(namespace).endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", 0))
        .build();
    assertThatThrownBy(() -> client.genericKubernetesResources(GADGETS).inNamespace(namespace)
        .resource(zero).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.size");
  }

  @Test
  void kubectlSeesTheSameServer() {
    String out = controlPlane.kubectl("get", "nodes", "-o", "name");
    assertThat(out.lines()).containsExactlyInAnyOrder(
        "node/kwok-cpu-0", "node/kwok-cpu-1", "node/kwok-gpu-0", "node/kwok-gpu-1");
  }
}
