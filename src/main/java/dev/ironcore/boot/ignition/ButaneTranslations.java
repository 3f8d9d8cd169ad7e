package dev.ironcore.boot.ignition;

import dev.ironcore.boot.ignition.butane.ButaneException;
import dev.ironcore.boot.ignition.butane.ButaneTranslator;
import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Butane Secrets translated once per Secret version: the result (Ignition JSON or the error) is
 * cached by uid and resourceVersion, so a rack sharing one Secret costs one translation. The
 * reconcilers call {@link #translate} too, to show a broken config in status before a machine boots.
 */
public class ButaneTranslations {
  static final int MAX_ENTRIES = 1024;

  private final ButaneTranslator translator = new ButaneTranslator();
  private final Map<String, Outcome> cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
      return size() > MAX_ENTRIES;
    }
  });
  private final MeterRegistry metrics;

  public ButaneTranslations(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /** The Ignition JSON of the Butane in {@code data}; throws {@link ButaneException} with the first error. */
  public byte[] translate(Secret secret, byte[] data) {
    String key = secret.getMetadata().getUid() + "@" + secret.getMetadata().getResourceVersion();
    Outcome outcome = cache.get(key);
    if (outcome == null) {
      outcome = Outcome.of(() -> translator.translate(data).ignitionJson());
      cache.put(key, outcome);
      metrics.counter("boot_butane_translations_total", "result", outcome.error == null ? "ok" : "error")
          .increment();
    }
    return outcome.ignitionOrThrow();
  }

  private record Outcome(byte[] ignition, ButaneException error) {
    static Outcome of(Supplier<String> translation) {
      try {
        return new Outcome(translation.get().getBytes(StandardCharsets.UTF_8), null);
      } catch (ButaneException e) {
        return new Outcome(null, e);
      }
    }

    byte[] ignitionOrThrow() {
      if (error != null) {
        throw error;
      }
      return ignition;
    }
  }
}
