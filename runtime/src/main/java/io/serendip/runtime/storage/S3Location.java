package io.serendip.runtime.storage;

import io.serendip.config.ArtifactLayout;

/**
 * An {@code s3://bucket[/prefix]} URI and the one mapping it defines: the artifact path {@code <root>/a/b} is the
 * object key {@code <prefix>/a/b}.
 */
public record S3Location(String bucket, String prefix) {
    public static final String SCHEME = "s3://";

    public static S3Location parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("not an s3:// URI: " + uri);
        }
        String rest = uri.substring(SCHEME.length()).replaceAll("/+$", "");
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+", "");
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("not a valid bucket name in " + uri + ": " + bucket);
        }
        return new S3Location(bucket, prefix);
    }

    /** The object key (or key prefix, for a directory) of an artifact path strictly inside {@code root}. */
    public String keyOf(String root, String artifactPath) {
        if (!ArtifactLayout.isStrictlyInside(root, artifactPath)) {
            throw new IllegalArgumentException(artifactPath + " is not inside " + root);
        }
        String relative = artifactPath.replaceAll("/+$", "").substring(root.replaceAll("/+$", "").length() + 1);
        return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }

    public String uriOf(String key) {
        return SCHEME + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
