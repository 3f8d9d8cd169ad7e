package dev.ironcore.boot.ignition;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.binding.ClientBinding;
import dev.ironcore.boot.delivery.Delivery;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.index.BootConfigSelector;
import dev.ironcore.boot.secrets.SecretData;
import dev.ironcore.boot.secrets.SecretUse;
import dev.ironcore.boot.web.BootRequests;
import dev.ironcore.boot.web.NotFoundException;
import dev.ironcore.boot.web.ServiceUnavailableException;
import dev.ironcore.boot.web.UnprocessableConfigException;
import dev.ironcore.boot.ignition.butane.ButaneException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/** Answers {@code /ignition/{uuid}} with the machine's Ignition Secret (COMPAT §3). */
public class IgnitionConfigs {
  public static final String IGNITION_KEY = "ignition";
  static final String FORMAT_KEY = "format";
  static final String BUTANE_FORMAT = "fcos";

  private final BootConfigIndex index;
  private final ButaneTranslations butane;
  private final ClientBinding binding;

  public IgnitionConfigs(BootConfigIndex index, ButaneTranslations butane, ClientBinding binding) {
    this.index = index;
    this.butane = butane;
    this.binding = binding;
  }

  /** The Ignition bytes for the machine: IPXEBootConfigs are asked first, then HTTPBootConfigs. */
  public byte[] forUuid(@Header("uuid") String rawUuid, Exchange exchange) {
    String uuid = BootRequests.requireUuid(rawUuid, exchange);
    HasMetadata config = configFor(uuid);
    ClientBinding.Result bound = binding.check(uuid, exchange);
    LocalObjectReference ref = ignitionRef(config);
    Secret secret = SecretData.requireSecret(index, config, ref.getName(), SecretUse.IGNITION);
    byte[] data = SecretData.requireKey(config, secret, IGNITION_KEY, SecretUse.IGNITION);
    byte[] ignition = isButane(secret) ? translated(secret, data) : data;
    exchange.setProperty(BootRequests.DELIVERY, bound.unbound()
        ? Delivery.ignitionToUnboundClient(config, bound.client()) : Delivery.ignition(config));
    return ignition;
  }

  private byte[] translated(Secret secret, byte[] butaneYaml) {
    try {
      return butane.translate(secret, butaneYaml);
    } catch (ButaneException e) {
      // the summary names field, line and problem, never a value of the Secret
      throw new UnprocessableConfigException("Butane translation failed: " + e.summary());
    } catch (ButaneBusyException e) {
      throw new ServiceUnavailableException(e.getMessage() + "; retry");
    }
  }

  private HasMetadata configFor(String uuid) {
    List<IPXEBootConfig> ipxe = index.ipxeConfigsForUuid(uuid);
    if (!ipxe.isEmpty()) {
      return BootConfigSelector.select(ipxe, index);
    }
    List<HTTPBootConfig> http = index.httpConfigsForUuid(uuid);
    if (!http.isEmpty()) {
      return BootConfigSelector.select(http, index);
    }
    throw new NotFoundException("no IPXEBootConfig or HTTPBootConfig for machine " + uuid);
  }

  private static LocalObjectReference ignitionRef(HasMetadata config) {
    LocalObjectReference ref = config instanceof IPXEBootConfig ipxe
        ? ipxe.getSpec().getIgnitionSecretRef()
        : ((HTTPBootConfig) config).getSpec().getIgnitionSecretRef();
    if (ref == null || ref.getName() == null || ref.getName().isBlank()) {
      throw new NotFoundException(config.getKind() + " " + config.getMetadata().getNamespace() + "/"
          + config.getMetadata().getName() + " has no ignitionSecretRef");
    }
    return ref;
  }

  public static boolean isButane(Secret secret) {
    return SecretData.value(secret, FORMAT_KEY)
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8).trim())
        .filter(BUTANE_FORMAT::equals)
        .isPresent();
  }
}
