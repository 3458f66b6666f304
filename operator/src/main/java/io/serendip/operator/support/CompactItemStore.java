package io.serendip.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * An informer cache that keeps each object as its deflated JSON instead of as a tree of Fabric8 model objects.
 *
 * <p>Why: a cached model object costs about 18 KB of heap (every nested object carries its own
 * {@code additionalProperties} map, and {@code managedFields} are nested maps), so at 1,000 experiments the
 * informer caches were most of the operator's live data. The same object as deflated JSON is a single byte array
 * of a few hundred bytes to a few KB. Everything is kept (full state: server-side-apply matching still sees
 * {@code managedFields}); reads decode a fresh copy, which costs tens of microseconds and also means no caller
 * can change the cache by mutating what it got.
 */
public final class CompactItemStore<V extends HasMetadata> implements ItemStore<V> {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** The object's own class (a store serves one kind, but the class is taken from each object to need no config). */
  private record Stored<V>(Class<? extends V> type, byte[] deflatedJson) {
  }

  private final Map<String, Stored<V>> items = new ConcurrentHashMap<>();

  @Override
  public String getKey(V object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public V put(String key, V object) {
    return decode(items.put(key, encode(object)));
  }

  @Override
  public V remove(String key) {
    return decode(items.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<V> values() {
    return items.values().stream().map(CompactItemStore::decode);
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public V get(String key) {
    return decode(items.get(key));
  }

  /** Bytes held for the objects themselves (without map overhead), for measurements. */
  long storedBytes() {
    return items.values().stream().mapToLong(s -> s.deflatedJson().length).sum();
  }

  @SuppressWarnings("unchecked")
  private static <V extends HasMetadata> Stored<V> encode(V object) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, deflater)) {
      out.write(SERIALIZATION.asJson(object).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    } finally {
      deflater.end();
    }
    return new Stored<>((Class<? extends V>) object.getClass(), bytes.toByteArray());
  }

  private static <V extends HasMetadata> V decode(Stored<V> stored) {
    if (stored == null) {
      return null;
    }
    try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(stored.deflatedJson()))) {
      return SERIALIZATION.unmarshal(in, stored.type());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
