package dev.ironcore.boot.index;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory view of the cluster every boot request is answered from: fabric8 informers for the
 * four kinds and Secrets, with indexes whose keys are canonicalised once, when an object arrives.
 * A lookup is a hash lookup; no boot request reaches the API server.
 */
public class BootConfigIndex implements OwnerLookup, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BootConfigIndex.class);

  private final SharedIndexInformer<IPXEBootConfig> ipxeConfigs;
  private final SharedIndexInformer<HTTPBootConfig> httpConfigs;
  private final SharedIndexInformer<ServerBootConfiguration> serverBootConfigs;
  private final SharedIndexInformer<Server> servers;
  private final SharedIndexInformer<Secret> secrets;

  public BootConfigIndex(KubernetesClient client, Duration resync) {
    long resyncMillis = resync.toMillis();
    ipxeConfigs = client.resources(IPXEBootConfig.class).inAnyNamespace().runnableInformer(resyncMillis);
    httpConfigs = client.resources(HTTPBootConfig.class).inAnyNamespace().runnableInformer(resyncMillis);
    serverBootConfigs =
        client.resources(ServerBootConfiguration.class).inAnyNamespace().runnableInformer(resyncMillis);
    servers = client.resources(Server.class).runnableInformer(resyncMillis);
    secrets = client.secrets().inAnyNamespace().runnableInformer(resyncMillis);
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
  }

  /** Starts every informer; each keeps retrying its list and watch until it is closed. */
  public CompletableFuture<Void> start() {
    return CompletableFuture.allOf(
        informers().stream().map(this::startRetrying).toArray(CompletableFuture[]::new));
  }

  /** True once every informer has listed its kind at least once. */
  public boolean hasSynced() {
    return informers().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** Informers that have not synced yet, for the readiness message. */
  public List<String> unsyncedKinds() {
    List<String> kinds = new ArrayList<>();
    for (SharedIndexInformer<?> informer : informers()) {
      if (!informer.hasSynced()) {
        kinds.add(informer.getApiTypeClass().getSimpleName());
      }
    }
    return kinds;
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
    return ipxeConfigs.getStore().list().stream()
        .map(config -> SystemUuid.canonical(config.getSpec().getSystemUUID()))
        .filter(Objects::nonNull)
        .sorted()
        .findFirst();
  }

  public List<IPXEBootConfig> ipxeConfigsForUuid(String canonicalUuid) {
    return ipxeConfigs.getIndexer().byIndex(IndexNames.BY_UUID, canonicalUuid);
  }

  public List<HTTPBootConfig> httpConfigsForUuid(String canonicalUuid) {
    return httpConfigs.getIndexer().byIndex(IndexNames.BY_UUID, canonicalUuid);
  }

  public List<HTTPBootConfig> httpConfigsForNetworkId(String canonicalId) {
    return httpConfigs.getIndexer().byIndex(IndexNames.BY_NETWORK_ID, canonicalId);
  }

  /**
   * True when {@code canonicalIp} is one of the machine's addresses: in an IPXEBootConfig's systemIPs,
   * an HTTPBootConfig's networkIdentifiers, or the NICs of the Server with that system UUID. Three hash
   * lookups, nothing blocking: the iPXE route asks on the event loop.
   */
  public boolean isMachineAddress(String canonicalUuid, String canonicalIp) {
    String key = MachineAddresses.key(canonicalUuid, canonicalIp);
    return !ipxeConfigs.getIndexer().byIndex(IndexNames.BY_MACHINE_ADDRESS, key).isEmpty()
        || !httpConfigs.getIndexer().byIndex(IndexNames.BY_MACHINE_ADDRESS, key).isEmpty()
        || !servers.getIndexer().byIndex(IndexNames.BY_MACHINE_ADDRESS, key).isEmpty();
  }

  /** True when any boot config or Server of the machine gives it an address. */
  public boolean hasKnownAddress(String canonicalUuid) {
    return ipxeConfigs.getIndexer().byIndex(IndexNames.BY_UUID, canonicalUuid).stream()
            .anyMatch(config -> !MachineAddresses.of(config).isEmpty())
        || httpConfigs.getIndexer().byIndex(IndexNames.BY_UUID, canonicalUuid).stream()
            .anyMatch(config -> !MachineAddresses.of(config).isEmpty())
        || servers.getIndexer().byIndex(IndexNames.BY_UUID, canonicalUuid).stream()
            .anyMatch(server -> !MachineAddresses.of(server).isEmpty());
  }

  /** Boot configs of both kinds that name the Secret {@code namespace/name}. */
  public List<HasMetadata> configsReferencingSecret(String namespace, String name) {
    String key = namespace + "/" + name;
    List<HasMetadata> configs = new ArrayList<>(ipxeConfigs.getIndexer().byIndex(IndexNames.BY_SECRET, key));
    configs.addAll(httpConfigs.getIndexer().byIndex(IndexNames.BY_SECRET, key));
    return configs;
  }

  public Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(secrets.getStore().getByKey(namespace + "/" + name));
  }

  @Override
  public Optional<ServerBootConfiguration> serverBootConfiguration(String namespace, String name) {
    return Optional.ofNullable(serverBootConfigs.getStore().getByKey(namespace + "/" + name));
  }

  @Override
  public Optional<Server> server(String name) {
    return Optional.ofNullable(servers.getStore().getByKey(name));
  }

  /** Registers a handler for the add, update and delete events of one kind (controllers enqueue from it). */
  public <T extends HasMetadata> void addEventHandler(Class<T> kind, ResourceEventHandler<? super T> handler) {
    informerFor(kind).addEventHandler(handler);
  }

  /** The cached object of {@code kind} with key {@code namespace/name} (or {@code name}); null when absent. */
  public <T extends HasMetadata> T cached(Class<T> kind, String key) {
    return informerFor(kind).getStore().getByKey(key);
  }

  /** Adds an index on {@code kind} (before {@link #start}): controllers map references back to their objects. */
  public <T extends HasMetadata> void addIndex(Class<T> kind, String name, Function<T, List<String>> keys) {
    informerFor(kind).addIndexers(Map.of(name, keys));
  }

  /** The cached objects of {@code kind} whose index {@code name} holds {@code key}. */
  public <T extends HasMetadata> List<T> byIndex(Class<T> kind, String name, String key) {
    return informerFor(kind).getIndexer().byIndex(name, key);
  }

  /** The keys of every cached object of {@code kind}. */
  public List<String> cachedKeys(Class<? extends HasMetadata> kind) {
    return informerFor(kind).getStore().listKeys();
  }

  @SuppressWarnings("unchecked") // each informer's type is its api type class
  private <T extends HasMetadata> SharedIndexInformer<T> informerFor(Class<T> kind) {
    return (SharedIndexInformer<T>) informers().stream()
        .filter(informer -> informer.getApiTypeClass().equals(kind))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no informer for " + kind.getSimpleName()));
  }

  @Override
  public void close() {
    informers().forEach(SharedIndexInformer::close);
  }

  /** Tells {@code listener} of every boot config added or changed (and of each on resync), on the informer's thread. */
  public void onBootConfigChange(Consumer<HasMetadata> listener) {
    ipxeConfigs.addEventHandler(new ChangeListener<>(listener));
    httpConfigs.addEventHandler(new ChangeListener<>(listener));
  }

  private record ChangeListener<T extends HasMetadata>(Consumer<HasMetadata> listener) implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T config) {
      listener.accept(config);
    }

    @Override
    public void onUpdate(T before, T config) {
      listener.accept(config);
    }

    @Override
    public void onDelete(T config, boolean finalStateUnknown) {
      // a deleted config needs nothing fetched; its blobs age out of the cache
    }
  }

  private List<SharedIndexInformer<?>> informers() {
    return List.of(ipxeConfigs, httpConfigs, serverBootConfigs, servers, secrets);
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
