package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfigSpec;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.index.EventHandlers;
import dev.ironcore.boot.ipxe.IpxeScripts;
import dev.ironcore.boot.secrets.SecretData;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps {@link ReferencedLayers} current from the index's events: the kernel, initrd and squashfs URLs
 * of every IPXEBootConfig, the UKI URL of every HTTPBootConfig, and the blob URLs written in the custom
 * iPXE script Secret an IPXEBootConfig names (re-read when that Secret changes). Events arrive on the
 * informers' threads, so a config's layers follow it as fast as the index does.
 */
final class LayerReferenceTracker {
  /** Our blob URLs inside a script: up to the next blank or quote (iPXE separates arguments by blanks). */
  private static final Pattern SCRIPT_BLOB_URL = Pattern.compile("[^\\s\"'<>]*(?:/image\\?|/httpboot/)[^\\s\"'<>]+");

  private final BootConfigIndex index;
  private final ReferencedLayers layers;

  private LayerReferenceTracker(BootConfigIndex index, ReferencedLayers layers) {
    this.index = index;
    this.layers = layers;
  }

  /** Registers on {@code index} (before it starts, so that its first listing is seen). */
  static void track(BootConfigIndex index, ReferencedLayers layers) {
    LayerReferenceTracker tracker = new LayerReferenceTracker(index, layers);
    index.onBootConfigEvents(tracker::update, tracker::removed);
    // a script Secret that appears, changes or goes: its configs' layers are read again
    index.addEventHandler(Secret.class, EventHandlers.of(tracker::rereadConfigsOf, tracker::rereadConfigsOf));
  }

  /** Computed and stored under one lock: a config's and its Secret's events must not overtake each other. */
  private synchronized void update(HasMetadata config) {
    layers.replace(source(config), keys(config));
  }

  private synchronized void removed(HasMetadata config) {
    layers.replace(source(config), Set.of());
  }

  private Set<LayerKey> keys(HasMetadata config) {
    Set<LayerKey> keys = new HashSet<>();
    Stream<String> urls = config instanceof IPXEBootConfig ipxe ? ipxeUrls(ipxe)
        : Stream.of(((HTTPBootConfig) config).getSpec().getUkiURL());
    urls.filter(Objects::nonNull).map(LayerKey::ofUrl).flatMap(Optional::stream).forEach(keys::add);
    return keys;
  }

  private Stream<String> ipxeUrls(IPXEBootConfig config) {
    IPXEBootConfigSpec spec = config.getSpec();
    return Stream.concat(Stream.of(spec.getKernelURL(), spec.getInitrdURL(), spec.getSquashfsURL()),
        scriptUrls(config.getMetadata().getNamespace(), spec.getIpxeScriptSecretRef()));
  }

  private Stream<String> scriptUrls(String namespace, LocalObjectReference scriptRef) {
    if (scriptRef == null || scriptRef.getName() == null || scriptRef.getName().isEmpty()) {
      return Stream.empty();
    }
    try {
      return index.secret(namespace, scriptRef.getName())
          .flatMap(secret -> SecretData.value(secret, IpxeScripts.SCRIPT_KEY))
          .map(script -> SCRIPT_BLOB_URL.matcher(new String(script, StandardCharsets.UTF_8)).results()
              .map(MatchResult::group))
          .orElseGet(Stream::empty);
    } catch (IllegalArgumentException notBase64) {
      return Stream.empty(); // the script cannot be served either
    }
  }

  private static String source(HasMetadata config) {
    return config.getKind() + "/" + config.getMetadata().getNamespace() + "/" + config.getMetadata().getName();
  }

  private void rereadConfigsOf(Secret secret) {
    index.configsReferencingSecret(secret.getMetadata().getNamespace(), secret.getMetadata().getName()).stream()
        .filter(IPXEBootConfig.class::isInstance)
        .forEach(this::update);
  }
}
