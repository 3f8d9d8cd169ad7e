package dev.ironcore.boot.index;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.config.SecretWatchSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory view of the cluster every boot request is answered from: fabric8 informers for the
 * four kinds, limited to {@code boot.watch-namespaces} (Servers are cluster-scoped), with indexes whose
 * keys are canonicalised once, when an object arrives; and the Secrets the boot configs reference,
 * each watched on its own ({@link ReferencedSecrets}). A lookup is a hash lookup; no boot request
 * reaches the API server.
 */
public class BootConfigIndex implements OwnerLookup, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BootConfigIndex.class);

  private final NamespacedInformers<IPXEBootConfig> ipxeConfigs;
  private final NamespacedInformers<HTTPBootConfig> httpConfigs;
  private final NamespacedInformers<ServerBootConfiguration> serverBootConfigs;
  private final SharedIndexInformer<Server> servers;
  private final ReferencedSecrets secrets;
  /** Latched once the Secrets referenced at start-up were listed: a later reference never unreadies. */
  private volatile boolean secretsSettled;

  public BootConfigIndex(KubernetesClient client, Duration resync, SecretWatchSettings scope, MeterRegistry metrics) {
    long resyncMillis = resync.toMillis();
    List<String> namespaces = scope.watchNamespaces();
    ipxeConfigs = new NamespacedInformers<>(IPXEBootConfig.class, client.resources(IPXEBootConfig.class),
        namespaces, resyncMillis);
    httpConfigs = new NamespacedInformers<>(HTTPBootConfig.class, client.resources(HTTPBootConfig.class),
        namespaces, resyncMillis);
    serverBootConfigs = new NamespacedInformers<>(ServerBootConfiguration.class,
        client.resources(ServerBootConfiguration.class), namespaces, resyncMillis);
    servers = client.resources(Server.class).runnableInformer(resyncMillis);
    secrets = new ReferencedSecrets(client, scope.maxWatchedSecrets(), this::isSecretReferenced, metrics);
    ipxeConfigs.addIndexers(Map.of(
        IndexNames.BY_UUID, config -> keyOf(SystemUuid.canonical(config.getSpec().getSystemUUID())),
        IndexNames.BY_SECRET, BootConfigKeys::referencedSecrets,
        IndexNames.BY_MACHINE_ADDRESS, config -> MachineAddresses.keys(config.getSpec().getSystemUUID(),
            MachineAddresses.of(config))));
    httpConfigs.addIndexers(Map.of(
        IndexNames.BY_UUID, config -> keyOf(SystemUuid.canonical(config.getSpec().getSystemUUID())),
        IndexNames.BY_NETWORK_ID, BootConfigKeys::networkIds,
        IndexNames.BY_SECRET, BootConfigKeys::referencedSecrets,
        IndexNames.BY_MACHINE_ADDRESS, config -> MachineAddresses.keys(config.getSpec().getSystemUUID(),
            MachineAddresses.of(config))));
    servers.addIndexers(Map.of(
        IndexNames.BY_UUID, server -> keyOf(SystemUuid.canonical(MachineAddresses.systemUuid(server))),
        IndexNames.BY_MACHINE_ADDRESS, server -> MachineAddresses.keys(MachineAddresses.systemUuid(server),
            MachineAddresses.of(server))));
    // registered first, so a Secret is watched before a controller reconciles the config naming it
    ipxeConfigs.addEventHandler(new ReferenceTracker<>(secrets));
    httpConfigs.addEventHandler(new ReferenceTracker<>(secrets));
  }

  /** Starts every informer; each keeps retrying its list and watch until it is closed. */
  public CompletableFuture<Void> start() {
    return CompletableFuture.allOf(
        informers().stream().map(this::startRetrying).toArray(CompletableFuture[]::new));
  }

  /**
   * True once every informer has listed its kind at least once and every Secret the configs then
   * referenced was listed (a missing Secret lists empty at once); a Secret referenced later never
   * makes it false again.
   */
  public boolean hasSynced() {
    return informers().stream().allMatch(SharedIndexInformer::hasSynced) && secretsSettled();
  }

  /** Informers that have not synced yet, for the readiness message. */
  public List<String> unsyncedKinds() {
    Set<String> kinds = new LinkedHashSet<>();
    for (SharedIndexInformer<?> informer : informers()) {
      if (!informer.hasSynced()) {
        kinds.add(informer.getApiTypeClass().getSimpleName());
      }
    }
    if (kinds.isEmpty() && !secretsSettled()) {
      kinds.add(Secret.class.getSimpleName());
    }
    return List.copyOf(kinds);
  }

  /** Waits up to {@code timeout} for the first sync; false when it did not happen in time. */
  public boolean awaitSynced(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!hasSynced() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return hasSynced();
  }

  /** Some machine that has an IPXEBootConfig (for the start-up hint). */
  public Optional<String> anyIpxeUuid() {
    return ipxeConfigs.list().stream()
        .map(config -> SystemUuid.canonical(config.getSpec().getSystemUUID()))
        .filter(Objects::nonNull)
        .sorted()
        .findFirst();
  }

  public List<IPXEBootConfig> ipxeConfigsForUuid(String canonicalUuid) {
    return ipxeConfigs.byIndex(IndexNames.BY_UUID, canonicalUuid);
  }

  public List<HTTPBootConfig> httpConfigsForUuid(String canonicalUuid) {
    return httpConfigs.byIndex(IndexNames.BY_UUID, canonicalUuid);
  }

  public List<HTTPBootConfig> httpConfigsForNetworkId(String canonicalId) {
    return httpConfigs.byIndex(IndexNames.BY_NETWORK_ID, canonicalId);
  }

  /**
   * True when {@code canonicalIp} is one of the machine's addresses: in an IPXEBootConfig's systemIPs,
   * an HTTPBootConfig's networkIdentifiers, or the NICs of the Server with that system UUID. Three hash
   * lookups, nothing blocking: the iPXE route asks on the event loop.
   */
  public boolean isMachineAddress(String canonicalUuid, String canonicalIp) {
    String key = MachineAddresses.key(canonicalUuid, canonicalIp);
    return !ipxeConfigs.byIndex(IndexNames.BY_MACHINE_ADDRESS, key).isEmpty()
        || !httpConfigs.byIndex(IndexNames.BY_MACHINE_ADDRESS, key).isEmpty()
        || !servers.getIndexer().byIndex(IndexNames.BY_MACHINE_ADDRESS, key).isEmpty();
  }

  /** True when any boot config or Server of the machine gives it an address. */
  public boolean hasKnownAddress(String canonicalUuid) {
    return ipxeConfigs.byIndex(IndexNames.BY_UUID, canonicalUuid).stream()
            .anyMatch(config -> !MachineAddresses.of(config).isEmpty())
        || httpConfigs.byIndex(IndexNames.BY_UUID, canonicalUuid).stream()
            .anyMatch(config -> !MachineAddresses.of(config).isEmpty())
        || servers.getIndexer().byIndex(IndexNames.BY_UUID, canonicalUuid).stream()
            .anyMatch(server -> !MachineAddresses.of(server).isEmpty());
  }

  /** Boot configs of both kinds that name the Secret {@code namespace/name}. */
  public List<HasMetadata> configsReferencingSecret(String namespace, String name) {
    String key = namespace + "/" + name;
    List<HasMetadata> configs = new ArrayList<>(ipxeConfigs.byIndex(IndexNames.BY_SECRET, key));
    configs.addAll(httpConfigs.byIndex(IndexNames.BY_SECRET, key));
    return configs;
  }

  /** The Secret {@code namespace/name} if a boot config references it and its watch has it. */
  public Optional<Secret> secret(String namespace, String name) {
    return secrets.get(namespace + "/" + name);
  }

  /** Whether {@link #secret}'s answer for a referenced Secret is current, pending, or refused by the bound. */
  public SecretWatchState secretWatchState(String namespace, String name) {
    return secrets.state(namespace + "/" + name);
  }

  /** The keys of every Secret held in memory (tests: only referenced ones). */
  List<String> heldSecretKeys() {
    return secrets.heldKeys();
  }

  /** How many Secrets are watched now (each one watch on the API server). */
  public int watchedSecretCount() {
    return secrets.watchedCount();
  }

  @Override
  public Optional<ServerBootConfiguration> serverBootConfiguration(String namespace, String name) {
    return Optional.ofNullable(serverBootConfigs.getByKey(namespace + "/" + name));
  }

  @Override
  public Optional<Server> server(String name) {
    return Optional.ofNullable(servers.getStore().getByKey(name));
  }

  /**
   * Registers a handler for the add, update and delete events of one kind (controllers enqueue from
   * it); for Secrets, those of every referenced Secret's watch.
   */
  @SuppressWarnings("unchecked") // a Secret handler takes Secrets
  public <T extends HasMetadata> void addEventHandler(Class<T> kind, ResourceEventHandler<? super T> handler) {
    if (kind.equals(Secret.class)) {
      secrets.addEventHandler((ResourceEventHandler<? super Secret>) handler);
    } else if (kind.equals(Server.class)) {
      servers.addEventHandler((ResourceEventHandler<? super Server>) handler);
    } else {
      namespaced(kind).addEventHandler(handler);
    }
  }

  /** The cached object of {@code kind} with key {@code namespace/name} (or {@code name}); null when absent. */
  public <T extends HasMetadata> T cached(Class<T> kind, String key) {
    return kind.equals(Server.class) ? kind.cast(servers.getStore().getByKey(key)) : namespaced(kind).getByKey(key);
  }

  /** Adds an index on {@code kind} (before {@link #start}): controllers map references back to their objects. */
  @SuppressWarnings("unchecked") // the index function takes Servers
  public <T extends HasMetadata> void addIndex(Class<T> kind, String name, Function<T, List<String>> keys) {
    if (kind.equals(Server.class)) {
      servers.addIndexers(Map.of(name, (Function<Server, List<String>>) keys));
    } else {
      namespaced(kind).addIndexers(Map.of(name, keys));
    }
  }

  /** The cached objects of {@code kind} whose index {@code name} holds {@code key}. */
  @SuppressWarnings("unchecked") // Server's indexer holds Servers
  public <T extends HasMetadata> List<T> byIndex(Class<T> kind, String name, String key) {
    return kind.equals(Server.class)
        ? (List<T>) servers.getIndexer().byIndex(name, key) : namespaced(kind).byIndex(name, key);
  }

  /** The keys of every cached object of {@code kind}. */
  public List<String> cachedKeys(Class<? extends HasMetadata> kind) {
    return kind.equals(Server.class) ? servers.getStore().listKeys() : namespaced(kind).listKeys();
  }

  @SuppressWarnings("unchecked") // each holder's type is its kind
  private <T extends HasMetadata> NamespacedInformers<T> namespaced(Class<T> kind) {
    return (NamespacedInformers<T>) List.of(ipxeConfigs, httpConfigs, serverBootConfigs).stream()
        .filter(informers -> informers.kind().equals(kind))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no informer for " + kind.getSimpleName()));
  }

  @Override
  public void close() {
    informers().forEach(SharedIndexInformer::close);
    secrets.close();
  }

  /** Tells {@code listener} of every boot config added or changed (and of each on resync), on the informer's thread. */
  public void onBootConfigChange(Consumer<HasMetadata> listener) {
    onBootConfigEvents(listener, deleted -> { }); // a deleted config needs nothing fetched; its blobs age out
  }

  /** As {@link #onBootConfigChange}, and tells {@code deleted} of every boot config deleted. */
  public void onBootConfigEvents(Consumer<HasMetadata> addedOrUpdated, Consumer<HasMetadata> deleted) {
    ipxeConfigs.addEventHandler(EventHandlers.of(addedOrUpdated, deleted));
    httpConfigs.addEventHandler(EventHandlers.of(addedOrUpdated, deleted));
  }

  /** Starts and closes Secret watches as configs start and stop naming them. */
  private record ReferenceTracker<T extends HasMetadata>(ReferencedSecrets secrets) implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T config) {
      secrets.update(BootConfigKeys.referencedSecrets(config));
    }

    @Override
    public void onUpdate(T before, T config) {
      Set<String> keys = new LinkedHashSet<>(BootConfigKeys.referencedSecrets(before));
      keys.addAll(BootConfigKeys.referencedSecrets(config));
      secrets.update(keys);
    }

    @Override
    public void onDelete(T config, boolean finalStateUnknown) {
      secrets.update(BootConfigKeys.referencedSecrets(config));
    }
  }

  private boolean isSecretReferenced(String key) {
    int slash = key.indexOf('/');
    return !configsReferencingSecret(key.substring(0, slash), key.substring(slash + 1)).isEmpty();
  }

  private boolean secretsSettled() {
    if (!secretsSettled) {
      secretsSettled = secrets.settled(referencedSecretKeys());
    }
    return secretsSettled;
  }

  private Collection<String> referencedSecretKeys() {
    Set<String> keys = new LinkedHashSet<>();
    ipxeConfigs.list().forEach(config -> keys.addAll(BootConfigKeys.referencedSecrets(config)));
    httpConfigs.list().forEach(config -> keys.addAll(BootConfigKeys.referencedSecrets(config)));
    return keys;
  }

  private List<SharedIndexInformer<?>> informers() {
    List<SharedIndexInformer<?>> all = new ArrayList<>();
    all.addAll(ipxeConfigs.informers());
    all.addAll(httpConfigs.informers());
    all.addAll(serverBootConfigs.informers());
    all.add(servers);
    return all;
  }

  private CompletableFuture<Void> startRetrying(SharedIndexInformer<?> informer) {
    String kind = informer.getApiTypeClass().getSimpleName();
    informer.exceptionHandler((started, error) -> {
      LOG.warn("Informer for {} failed ({}); retrying", kind, error.getMessage());
      return true;
    });
    return informer.start().toCompletableFuture().whenComplete((ok, error) -> {
      if (error == null) {
        LOG.info("Informer for {} synced: {} objects", kind, informer.getStore().list().size());
      }
    });
  }

  private static List<String> keyOf(String key) {
    return key == null ? List.of() : List.of(key);
  }

  /** Index functions, pure, so they can be unit-tested without informers. */
  static final class BootConfigKeys {
    private BootConfigKeys() {}

    static List<String> referencedSecrets(HasMetadata config) {
      String namespace = config.getMetadata().getNamespace();
      return SecretRefs.of(config).stream().map(ref -> namespace + "/" + ref.getName()).distinct().toList();
    }

    static List<String> networkIds(HTTPBootConfig config) {
      return config.getSpec().getNetworkIdentifiers().stream()
          .map(NetworkIdentifier::canonical)
          .filter(Objects::nonNull)
          .distinct()
          .toList();
    }
  }
}
