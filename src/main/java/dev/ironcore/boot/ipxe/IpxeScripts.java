package dev.ironcore.boot.ipxe;

import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfigSpec;
import dev.ironcore.boot.binding.ClientBinding;
import dev.ironcore.boot.config.BootSettings;
import dev.ironcore.boot.delivery.Delivery;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.index.BootConfigSelector;
import dev.ironcore.boot.secrets.MissingSecretException;
import dev.ironcore.boot.secrets.SecretData;
import dev.ironcore.boot.secrets.SecretUse;
import dev.ironcore.boot.web.BootRequests;
import dev.ironcore.boot.web.BrokenBootConfigException;
import dev.ironcore.boot.web.NotFoundException;
import dev.ironcore.boot.web.ServiceUnavailableException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/** Answers {@code /ipxe/} and {@code /ipxe/{uuid}} from the index (COMPAT §2). */
public class IpxeScripts {
  public static final String SCRIPT_KEY = "ipxe-script";

  private final BootSettings settings;
  private final BootConfigIndex index;
  private final IpxeScriptRenderer renderer;
  private final ClientBinding binding;

  public IpxeScripts(BootSettings settings, BootConfigIndex index, IpxeScriptRenderer renderer,
      ClientBinding binding) {
    this.settings = settings;
    this.index = index;
    this.renderer = renderer;
    this.binding = binding;
  }

  /** The chainload script that brings iPXE back with its own {@code ${uuid}}. */
  public byte[] chainload() {
    return renderer.chainload(new IpxeChainload(serviceUrl()));
  }

  /** The machine's script: its config rendered into the template, or its custom script. */
  public byte[] forUuid(@Header("uuid") String rawUuid, Exchange exchange) {
    String serviceUrl = serviceUrl();
    String uuid = BootRequests.requireUuid(rawUuid, exchange);
    List<IPXEBootConfig> matches = index.ipxeConfigsForUuid(uuid);
    if (matches.isEmpty()) {
      throw new NotFoundException("no IPXEBootConfig for machine " + uuid);
    }
    IPXEBootConfig config = BootConfigSelector.select(matches, index);
    IPXEBootConfigSpec spec = config.getSpec();
    if (spec.getIpxeScriptSecretRef() != null && notBlank(spec.getIpxeScriptSecretRef().getName())) {
      return customScript(uuid, config, exchange);
    }
    byte[] script = renderer.cached(config, serviceUrl);
    if (script == null) {
      script = renderer.script(config, new IpxeScript(serviceUrl,
          scriptSafe(config, "kernelURL", spec.getKernelURL(), exchange),
          scriptSafe(config, "initrdURL", spec.getInitrdURL(), exchange),
          scriptSafe(config, "squashfsURL", spec.getSquashfsURL(), exchange)));
    }
    exchange.setProperty(BootRequests.DELIVERY, Delivery.ipxeScript(config));
    return script;
  }

  /**
   * A custom script is the machine's own (it may carry secrets), so client binding applies to it; a
   * later delivery to the machine itself puts the condition back to delivered.
   */
  private byte[] customScript(String uuid, IPXEBootConfig config, Exchange exchange) {
    ClientBinding.Result bound = binding.check(uuid, exchange);
    byte[] script;
    try {
      script = SecretData.require(index, config, config.getSpec().getIpxeScriptSecretRef().getName(), SCRIPT_KEY,
          SecretUse.IPXE_SCRIPT);
    } catch (MissingSecretException e) {
      // the answer does not name the Secret; the config's status does, for the operator
      exchange.setProperty(BootRequests.DELIVERY, Delivery.ipxeScriptSecretMissing(config, e.forOperator()));
      throw e;
    }
    if (bound.outcome() != ClientBinding.Outcome.UNCHECKED) {
      exchange.setProperty(BootRequests.DELIVERY, bound.unbound()
          ? Delivery.ipxeScriptToUnboundClient(config, bound.client()) : Delivery.ipxeScript(config));
    }
    return script;
  }

  private String serviceUrl() {
    if (!settings.ipxeEnabled()) {
      throw new ServiceUnavailableException("iPXE is disabled");
    }
    return settings.ipxeServiceUrl();
  }

  /** A value put into a script line must not be able to start another line or command. */
  private static String scriptSafe(IPXEBootConfig config, String field, String value, Exchange exchange) {
    if (value == null) {
      return "";
    }
    if (!isScriptSafe(value)) {
      String why = "IPXEBootConfig " + config.getMetadata().getNamespace() + "/" + config.getMetadata().getName()
          + ": spec." + field + " contains a control character or whitespace and is not rendered into a script";
      exchange.setProperty(BootRequests.DELIVERY, Delivery.ipxeScriptRefused(config, why));
      throw new BrokenBootConfigException(why);
    }
    return value;
  }

  private static boolean isScriptSafe(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.isWhitespace(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }
}
