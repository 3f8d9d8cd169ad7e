package dev.ironcore.boot.reconcile.sbc;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.MetalGroup;
import dev.ironcore.boot.api.metal.NetworkInterface;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.ImageReference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The boot configs an SBC should have (COMPAT §9), as pure functions of the SBC, its Server and
 * what its image offers: named like the SBC, in its namespace, controlled by it.
 */
public final class DesiredBootConfigs {
  private final String ipxeServiceUrl;
  private final String imageServerUrl;

  public DesiredBootConfigs(String ipxeServiceUrl, String imageServerUrl) {
    this.ipxeServiceUrl = stripSlash(ipxeServiceUrl);
    this.imageServerUrl = stripSlash(imageServerUrl);
  }

  public IPXEBootConfig ipxe(ServerBootConfiguration sbc, Server server, ImageReference image,
      ImageOffer.PxeLayers layers) {
    IPXEBootConfig config = new IPXEBootConfig();
    config.setMetadata(childMeta(sbc));
    config.getSpec().setSystemUUID(server.getSpec().getSystemUUID());
    config.getSpec().setSystemIPs(ips(server).toList());
    config.getSpec().setKernelURL(imageUrl(image, layers.kernel()));
    config.getSpec().setInitrdURL(imageUrl(image, layers.initrd()));
    config.getSpec().setSquashfsURL(layers.squashfs().map(layer -> imageUrl(image, layer)).orElse(null));
    config.getSpec().setIgnitionSecretRef(copy(sbc.getSpec().getIgnitionSecretRef()));
    return config;
  }

  public HTTPBootConfig http(ServerBootConfiguration sbc, Server server, ImageReference image, Descriptor uki) {
    HTTPBootConfig config = new HTTPBootConfig();
    config.setMetadata(childMeta(sbc));
    config.getSpec().setSystemUUID(server.getSpec().getSystemUUID());
    config.getSpec().setNetworkIdentifiers(networkIdentifiers(server));
    config.getSpec().setUkiURL(imageServerUrl + "/" + image.familiarName() + "/"
        + uki.digest().replace(':', '-') + ".efi");
    config.getSpec().setIgnitionSecretRef(copy(sbc.getSpec().getIgnitionSecretRef()));
    return config;
  }

  /** {@code <ipxe-service-url>/image?imageName=…&layerDigest=…&version=…}: keys sorted, values percent-encoded. */
  String imageUrl(ImageReference image, Descriptor layer) {
    return ipxeServiceUrl + "/image?imageName=" + encode(image.familiarName())
        + "&layerDigest=" + encode(layer.digest())
        + "&version=" + encode(image.manifestReference());
  }

  /** The controller reference every child carries, so that deleting the SBC deletes it. */
  public static OwnerReference controllerReference(HasMetadata sbc) {
    return new OwnerReferenceBuilder()
        .withApiVersion(MetalGroup.API_VERSION)
        .withKind(HasMetadata.getKind(ServerBootConfiguration.class))
        .withName(sbc.getMetadata().getName())
        .withUid(sbc.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /**
   * The existing boot configs (by the method they serve) that the SBC must delete: those of an
   * enabled method its image no longer offers, and only those this SBC controls; a config someone
   * else made or controls is not ours to delete.
   */
  public static List<HasMetadata> obsolete(ServerBootConfiguration sbc, ImageOffer offer,
      Map<BootMethod, HasMetadata> existing) {
    return offer.notOffered().stream()
        .map(existing::get)
        .filter(config -> config != null && controlledBy(config, sbc))
        .toList();
  }

  /** True when {@code config}'s controller reference names {@code sbc} by uid (not merely by name). */
  static boolean controlledBy(HasMetadata config, HasMetadata sbc) {
    return config.getMetadata().getOwnerReferences().stream()
        .anyMatch(ref -> Boolean.TRUE.equals(ref.getController())
            && Objects.equals(ref.getUid(), sbc.getMetadata().getUid()));
  }

  private static ObjectMeta childMeta(ServerBootConfiguration sbc) {
    return new ObjectMetaBuilder()
        .withName(sbc.getMetadata().getName())
        .withNamespace(sbc.getMetadata().getNamespace())
        .withOwnerReferences(controllerReference(sbc))
        .build();
  }

  /** Every NIC's {@code ips[]}, or its {@code ip} when it lists none. */
  private static Stream<String> ips(Server server) {
    return server.getStatus().getNetworkInterfaces().stream().flatMap(DesiredBootConfigs::ipsOf).distinct();
  }

  private static Stream<String> ipsOf(NetworkInterface nic) {
    if (!nic.getIps().isEmpty()) {
      return nic.getIps().stream();
    }
    return nic.getIp() == null || nic.getIp().isEmpty() ? Stream.empty() : Stream.of(nic.getIp());
  }

  private static List<String> networkIdentifiers(Server server) {
    Set<String> ids = new LinkedHashSet<>(ips(server).toList());
    server.getStatus().getNetworkInterfaces().stream()
        .map(NetworkInterface::getMacAddress)
        .filter(mac -> mac != null && !mac.isEmpty())
        .forEach(ids::add);
    return new ArrayList<>(ids);
  }

  private static LocalObjectReference copy(LocalObjectReference ref) {
    return ref == null ? null : new LocalObjectReference(ref.getName());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
