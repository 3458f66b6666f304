package io.serendip.runtime.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Artifacts in an S3-compatible object store, mirrored to and from a local artifact directory: the storage
 * initializer downloads a pod's inputs, a Job uploads its outputs. Every object carries the SHA-256 of its bytes, in
 * its metadata and as the request checksum the store verifies on receipt; a download whose bytes do not match is
 * refused and leaves no file behind.
 *
 * <p>Configured like any S3 client: {@code AWS_ENDPOINT_URL}, {@code AWS_REGION} and the access key from the
 * environment (the operator fills them from the storage spec and its Secret).
 */
public final class ObjectStore implements AutoCloseable {
    /** The artifacts' URI, e.g. {@code s3://bucket/prefix}; unset when artifacts live on a mounted volume. */
    public static final String URI_ENV = "SERENDIP_STORAGE_URI";
    /** The local directory the URI mirrors to (default {@value #DEFAULT_ROOT}, where pods mount their artifacts). */
    public static final String ROOT_ENV = "SERENDIP_ARTIFACTS_DIR";
    public static final String DEFAULT_ROOT = "/artifacts";
    static final String DIGEST_METADATA = "sha256";

    private final S3Location location;
    private final String root;
    private final String endpoint;
    private final S3Client s3;

    private ObjectStore(S3Location location, String root, String endpoint, S3Client s3) {
        this.location = location;
        this.root = root;
        this.endpoint = endpoint;
        this.s3 = s3;
    }

    /** The store {@code env} configures, or empty when artifacts are not in an object store. */
    public static Optional<ObjectStore> fromEnv(Map<String, String> env) {
        String uri = env.get(URI_ENV);
        if (uri == null || uri.isBlank()) {
            return Optional.empty();
        }
        S3Location location = S3Location.parse(uri.strip());
        String endpoint = env.get("AWS_ENDPOINT_URL");
        String region = env.getOrDefault("AWS_REGION", "us-east-1");
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(region))
                .credentialsProvider(credentials(env));
        if (endpoint != null && !endpoint.isBlank()) {
            // S3-compatible stores (MinIO, SeaweedFS, Ceph) address buckets by path, not by host name
            builder.endpointOverride(URI.create(endpoint.strip())).forcePathStyle(true);
        }
        String root = env.getOrDefault(ROOT_ENV, DEFAULT_ROOT);
        return Optional.of(new ObjectStore(location, root, endpoint == null ? "the AWS S3 endpoint" : endpoint.strip(),
                builder.build()));
    }

    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (key != null && secret != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    public String root() {
        return root;
    }

    public S3Location location() {
        return location;
    }

    /**
     * Downloads the file or directory at {@code artifactPath}; returns how many files came. A required path that the
     * store does not hold is an error; an optional one is skipped.
     */
    public int download(String artifactPath, boolean required) {
        String key = location.keyOf(root, artifactPath);
        List<S3Object> objects = call(() -> objectsAt(key), key);
        if (objects.isEmpty()) {
            if (required) {
                throw new StorageException("no artifact at " + location.uriOf(key) + " (on " + endpoint
                        + "): the Job that writes it has not uploaded it, or it was deleted");
            }
            return 0;
        }
        for (S3Object object : objects) {
            String relative = object.key().equals(key) ? "" : object.key().substring(key.length() + 1);
            Path target = Path.of(artifactPath, relative.isEmpty() ? new String[0] : relative.split("/"));
            call(() -> {
                fetch(object.key(), target);
                return null;
            }, object.key());
        }
        return objects.size();
    }

    /** Uploads the file or directory at {@code artifactPath}; returns how many files went. A missing path is an error. */
    public int upload(String artifactPath) {
        Path local = Path.of(artifactPath);
        if (!Files.exists(local)) {
            throw new StorageException(artifactPath + " was not written, so it cannot be uploaded");
        }
        String key = location.keyOf(root, artifactPath);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(local)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String relative = local.relativize(file).toString().replace('\\', '/');
            String objectKey = relative.isEmpty() ? key : key + "/" + relative;
            call(() -> {
                put(file, objectKey);
                return null;
            }, objectKey);
        }
        return files.size();
    }

    /** Deletes every object of the file or directory at {@code artifactPath}; returns how many were deleted. */
    public int delete(String artifactPath) {
        String key = location.keyOf(root, artifactPath);
        List<S3Object> objects = call(() -> objectsAt(key), key);
        for (int i = 0; i < objects.size(); i += 1000) {
            List<ObjectIdentifier> batch = objects.subList(i, Math.min(objects.size(), i + 1000)).stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            call(() -> s3.deleteObjects(r -> r.bucket(location.bucket()).delete(Delete.builder().objects(batch).build())),
                    key);
        }
        return objects.size();
    }

    /** The object named {@code key} itself (a file) or every object under {@code key/} (a directory). */
    private List<S3Object> objectsAt(String key) {
        List<S3Object> out = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(key)).contents().forEach(o -> {
            if (o.key().equals(key) || o.key().startsWith(key + "/")) {
                out.add(o);
            }
        });
        return out;
    }

    private void put(Path file, String key) throws IOException {
        MessageDigest sha = newSha256();
        MessageDigest md5 = newDigest("MD5");
        try (InputStream in = new DigestInputStream(new DigestInputStream(Files.newInputStream(file), sha), md5)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        byte[] digest = sha.digest();
        byte[] md5Digest = md5.digest();
        // Content-MD5 makes the store refuse a body that differs from the file; the SHA-256 goes with the object
        // so that every later download is checked against the bytes this job wrote.
        PutObjectResponse response = s3.putObject(r -> r.bucket(location.bucket()).key(key)
                        .metadata(Map.of(DIGEST_METADATA, HexFormat.of().formatHex(digest)))
                        .contentMD5(Base64.getEncoder().encodeToString(md5Digest)),
                RequestBody.fromFile(file));
        String etag = response.eTag() == null ? "" : response.eTag().replace("\"", "");
        if (etag.matches("[0-9a-f]{32}") && !etag.equals(HexFormat.of().formatHex(md5Digest))) {
            throw new StorageException("the store received other bytes than " + file + " for " + location.uriOf(key)
                    + " (ETag " + etag + ")");
        }
    }

    private void fetch(String key, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
        MessageDigest sha = newSha256();
        GetObjectResponse response;
        try (var in = s3.getObject(r -> r.bucket(location.bucket()).key(key));
             InputStream digesting = new DigestInputStream(in, sha)) {
            response = in.response();
            Files.copy(digesting, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        String expected = response.metadata().get(DIGEST_METADATA);
        String actual = HexFormat.of().formatHex(sha.digest());
        if (expected != null && !expected.equalsIgnoreCase(actual)) {
            Files.deleteIfExists(partial);
            throw new StorageException("refusing " + location.uriOf(key) + ": its bytes have SHA-256 " + actual
                    + " but it was uploaded with " + expected + " (corrupted in the store or in transit)");
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Runs one store call, turning the client's exceptions into a message that names the cause. */
    private <T> T call(IoSupplier<T> action, String key) {
        try {
            return action.get();
        } catch (NoSuchBucketException e) {
            throw new StorageException("bucket " + location.bucket() + " does not exist on " + endpoint, e);
        } catch (NoSuchKeyException e) {
            throw new StorageException("no artifact at " + location.uriOf(key) + " (on " + endpoint + ")", e);
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("NoSuchBucket".equals(code)) {
                throw new StorageException("bucket " + location.bucket() + " does not exist on " + endpoint, e);
            }
            if (e.statusCode() == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
                throw new StorageException("access to " + location + " on " + endpoint + " denied (" + code
                        + "): check the access key in the storage Secret", e);
            }
            throw new StorageException(location.uriOf(key) + " on " + endpoint + ": " + code + " (HTTP "
                    + e.statusCode() + ")", e);
        } catch (SdkClientException e) {
            throw new StorageException("cannot reach the object store at " + endpoint + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException(location.uriOf(key) + ": " + e, e);
        }
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static MessageDigest newSha256() {
        return newDigest("SHA-256");
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
