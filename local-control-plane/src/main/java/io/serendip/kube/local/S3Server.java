package io.serendip.kube.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server for tests ({@code hack/s3-server.sh}: moto's server with IAM authentication on, so a
 * wrong key is refused as a real store refuses it), with the buckets asked for. Stopped by {@link #close}, and by
 * itself when this JVM exits, even by SIGKILL.
 */
public final class S3Server implements AutoCloseable {
  private final Process process;
  private final String endpoint;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String region;
  private final Path log;

  private S3Server(Process process, JsonNode info, Path log) {
    this.process = process;
    this.endpoint = info.get("endpoint").asText();
    this.accessKeyId = info.get("accessKeyId").asText();
    this.secretAccessKey = info.get("secretAccessKey").asText();
    this.region = info.get("region").asText();
    this.log = log;
  }

  /** Listens on {@code host} (loopback, or an address pods reach, e.g. the real node's host link). */
  public static S3Server start(String host, String... buckets) {
    return start(host, List.of(buckets), java.util.Map.of());
  }

  /** Also uploads each local folder's files under its {@code bucket/prefix}, as a user's data would be. */
  public static S3Server start(String host, List<String> buckets, java.util.Map<String, Path> puts) {
    List<String> cmd = new ArrayList<>(List.of(
        LocalControlPlane.repositoryRoot().resolve("hack/s3-server.sh").toString(), "run", "--host", host,
        "--owner-pid", Long.toString(ProcessHandle.current().pid())));
    for (String bucket : buckets) {
      cmd.addAll(List.of("--bucket", bucket));
    }
    puts.forEach((target, dir) -> cmd.addAll(List.of("--put", target + "=" + dir.toAbsolutePath())));
    try {
      Path log = Files.createTempFile("serendip-s3-server-", ".log");
      Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine(); // the first line comes once the server answers (installing may take minutes)
      if (line == null) {
        p.waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("the S3 server did not start:\n" + Files.readString(log));
      }
      return new S3Server(p, new ObjectMapper().readTree(line), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String endpoint() {
    return endpoint;
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public String secretAccessKey() {
    return secretAccessKey;
  }

  public String region() {
    return region;
  }

  /** The server's request log (one line per request, with its status). */
  public String requestLog() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // a temp file left behind
    }
  }
}
