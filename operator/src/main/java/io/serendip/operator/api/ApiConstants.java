package io.serendip.operator.api;

/** Names shared by the API classes, the CRDs and the reconcilers. */
public final class ApiConstants {
  public static final String GROUP = "serendip.io";
  public static final String VERSION = "v1alpha1";
  public static final String CATEGORY = "serendip";
  /** RFC 1123 label: what a reference to another object in the namespace must look like. */
  /** An HTTP header name as the router accepts it. */
  public static final String HEADER_NAME = "^[A-Za-z0-9][-A-Za-z0-9]{0,63}$";

  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  /** A host name as Gateway API routes take it: a DNS name, optionally starting with a wildcard label. */
  public static final String HOSTNAME = "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  /** A DNS subdomain (RFC 1123), as most Kubernetes object names. */
  public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  /** A Go-style duration limited to one unit, e.g. {@code 30s}, {@code 5m}, {@code 1h}. */
  public static final String DURATION = "^[0-9]+(ms|s|m|h)$";
  public static final String SHA256_DIGEST = "^sha256:[a-f0-9]{64}$";
  public static final String QUANTITY =
      "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

  private ApiConstants() {}
}
