/**
 * The {@code serendip.io/v1alpha1} API: spec and status classes of the four custom resources. The CRD
 * YAML in {@code crds/} is generated from these classes at build time.
 */
package io.serendip.operator.api;
