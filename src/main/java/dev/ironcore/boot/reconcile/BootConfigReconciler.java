package dev.ironcore.boot.reconcile;

import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.index.BootConfigIndex;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.client.CustomResource;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPXEBootConfig / HTTPBootConfig status controller (COMPAT §9): checks the Ignition Secret,
 * sets {@code state} and the {@code IgnitionSecretReady} condition when they changed, and fails
 * (so the key is retried with backoff) while the config is in Error.
 */
public class BootConfigReconciler<T extends CustomResource<?, BootConfigStatus>> {
  private static final Logger LOG = LoggerFactory.getLogger(BootConfigReconciler.class);

  private final BootConfigKind<T> kind;
  private final BootConfigIndex index;
  private final IgnitionSecretCheck ignition;
  private final StatusWriter statusWriter;
  private final Clock clock = Clock.systemUTC();

  public BootConfigReconciler(BootConfigKind<T> kind, BootConfigIndex index, IgnitionSecretCheck ignition,
      StatusWriter statusWriter) {
    this.kind = kind;
    this.index = index;
    this.ignition = ignition;
    this.statusWriter = statusWriter;
  }

  /** Reconciles the config with key {@code namespace/name} as the informer cache has it now. */
  public void reconcile(String key) {
    String object = ObjectKeys.describe(kind.type(), key);
    T config = index.cached(kind.type(), key);
    if (config == null) {
      LOG.debug("{}: deleted, nothing to do", object);
      return;
    }
    IgnitionVerdict verdict = verdictFor(config, object);
    Optional<BootConfigStatus> changed = BootConfigStatuses.update(config.getStatus(), verdict.state(),
        verdict.condition(config.getMetadata().getGeneration()), clock.instant());
    if (changed.isPresent()) {
      statusWriter.write(config, changed.get());
      LOG.info("{}: state {} ({})", object, verdict.state(), verdict.reason());
    }
    if (!verdict.ready()) {
      throw new IgnitionSecretNotReadyException(object + ": " + verdict.message());
    }
  }

  private IgnitionVerdict verdictFor(T config, String object) {
    String namespace = config.getMetadata().getNamespace();
    LocalObjectReference ref = kind.ignitionSecretRef().apply(config);
    if (ref == null || ref.getName() == null || ref.getName().isBlank()) {
      return ignition.assess(namespace, ref, null);
    }
    switch (index.secretWatchState(namespace, ref.getName())) {
      case PENDING -> throw new IgnitionSecretNotReadyException(
          object + ": Secret " + namespace + "/" + ref.getName() + " is not listed yet");
      case REFUSED -> {
        return IgnitionSecretCheck.notWatched(namespace, ref);
      }
      default -> {
        return ignition.assess(namespace, ref, index.secret(namespace, ref.getName()).orElse(null));
      }
    }
  }
}
