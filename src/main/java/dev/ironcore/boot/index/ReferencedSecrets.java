package dev.ironcore.boot.index;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Secrets that boot configs reference, each held by a watch of its own: a list and watch with
 * the field selector {@code metadata.name} (the kubelet's "Watch" strategy for pod Secrets), started
 * when the first config names the Secret and closed when the last one stops. No other Secret is
 * ever listed, so memory grows with boot configs, not with the cluster. Whether a Secret is still
 * referenced is asked of the config indexes, which makes the count of references theirs to keep.
 * At most {@code max} Secrets are watched; a reference past that is refused (logged once, counted,
 * and reported by {@link #state}) until another watch closes.
 */
final class ReferencedSecrets implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReferencedSecrets.class);

  private final KubernetesClient client;
  private final int max;
  private final Predicate<String> referenced;
  private final Map<String, SecretWatch> watches = new ConcurrentHashMap<>();
  /** Refused keys, oldest first: they are admitted in that order when watches close. */
  private final Set<String> refused = new LinkedHashSet<>();
  private final List<ResourceEventHandler<? super Secret>> handlers = new CopyOnWriteArrayList<>();

  /** {@code referenced} tells whether any boot config names the Secret {@code namespace/name}. */
  ReferencedSecrets(KubernetesClient client, int max, Predicate<String> referenced, MeterRegistry metrics) {
    this.client = client;
    this.max = max;
    this.referenced = referenced;
    Gauge.builder("boot_watched_secrets", watches, Map::size)
        .description("Secrets referenced by boot configs and watched one by one").register(metrics);
    Gauge.builder("boot_secret_watches_refused", this, ReferencedSecrets::refusedCount)
        .description("Secrets referenced by boot configs but not watched: boot.max-watched-secrets reached")
        .register(metrics);
  }

  /** Starts or closes the watches of {@code keys} ({@code namespace/name}) to match the references now. */
  synchronized void update(Collection<String> keys) {
    boolean closed = false;
    for (String key : keys) {
      if (referenced.test(key)) {
        if (!watches.containsKey(key) && !refused.contains(key)) {
          watchOrRefuse(key);
        }
      } else {
        refused.remove(key);
        SecretWatch watch = watches.remove(key);
        if (watch != null) {
          watch.informer().close();
          closed = true;
          LOG.debug("Secret {} is no longer referenced; its watch is closed", key);
        }
      }
    }
    if (closed) {
      admitRefused();
    }
  }

  Optional<Secret> get(String key) {
    SecretWatch watch = watches.get(key);
    return watch == null ? Optional.empty() : Optional.ofNullable(watch.informer().getStore().getByKey(key));
  }

  synchronized SecretWatchState state(String key) {
    if (refused.contains(key)) {
      return SecretWatchState.REFUSED;
    }
    SecretWatch watch = watches.get(key);
    return watch != null && watch.settled() ? SecretWatchState.CURRENT : SecretWatchState.PENDING;
  }

  /** True when each of {@code keys} is refused, listed once, or failed to list (readiness must not hang on it). */
  synchronized boolean settled(Collection<String> keys) {
    return keys.stream().allMatch(key -> refused.contains(key)
        || (watches.containsKey(key) && watches.get(key).settled()));
  }

  /** Adds {@code handler} to every watch, now and later (controllers re-reconcile on Secret events). */
  void addEventHandler(ResourceEventHandler<? super Secret> handler) {
    handlers.add(handler);
    watches.values().forEach(watch -> watch.informer().addEventHandler(handler));
  }

  /** The keys of the Secrets the watches hold (tests: nothing unreferenced is held). */
  List<String> heldKeys() {
    return watches.values().stream().flatMap(watch -> watch.informer().getStore().listKeys().stream()).toList();
  }

  int watchedCount() {
    return watches.size();
  }

  synchronized int refusedCount() {
    return refused.size();
  }

  @Override
  public synchronized void close() {
    watches.values().forEach(watch -> watch.informer().close());
    watches.clear();
    refused.clear();
  }

  private void watchOrRefuse(String key) {
    if (watches.size() < max) {
      watch(key);
    } else {
      refused.add(key);
      LOG.warn("Secret {} is referenced by a boot config but not watched: boot.max-watched-secrets ({}) Secrets"
          + " are watched already; raise it", key, max);
    }
  }

  private void admitRefused() {
    Iterator<String> waiting = refused.iterator();
    while (waiting.hasNext() && watches.size() < max) {
      String key = waiting.next();
      waiting.remove();
      if (referenced.test(key)) {
        LOG.info("Secret {} is watched now that fewer than boot.max-watched-secrets ({}) are", key, max);
        watch(key);
      }
    }
  }

  private void watch(String key) {
    int slash = key.indexOf('/');
    SharedIndexInformer<Secret> informer = client.secrets().inNamespace(key.substring(0, slash))
        .withName(key.substring(slash + 1)).runnableInformer(0);
    SecretWatch watch = new SecretWatch(informer);
    handlers.forEach(informer::addEventHandler);
    informer.exceptionHandler((started, error) -> {
      watch.failed = true;
      LOG.warn("Watch of Secret {} failed ({}); retrying", key, error.getMessage());
      return true;
    });
    watches.put(key, watch);
    informer.start();
  }

  private static final class SecretWatch {
    private final SharedIndexInformer<Secret> informer;
    /** Set when a list or watch failed (e.g. forbidden): the Secret then counts as absent, not pending. */
    private volatile boolean failed;

    SecretWatch(SharedIndexInformer<Secret> informer) {
      this.informer = informer;
    }

    SharedIndexInformer<Secret> informer() {
      return informer;
    }

    boolean settled() {
      return failed || informer.hasSynced();
    }
  }
}
