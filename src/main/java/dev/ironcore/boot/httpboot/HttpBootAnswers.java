package dev.ironcore.boot.httpboot;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.binding.RecentPairs;
import dev.ironcore.boot.config.ClientBindingSettings;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.index.BootConfigSelector;
import dev.ironcore.boot.index.NetworkIdentifier;
import dev.ironcore.boot.net.ClientAddress;
import dev.ironcore.boot.net.TrustedProxies;
import dev.ironcore.boot.web.BootRequests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code /httpboot}: which UKI the client named by X-Forwarded-For boots (COMPAT §4). With
 * {@code boot.trusted-proxies} set, only a trusted peer (the DHCP server extension, a proxy) may name
 * the client: X-Forwarded-For from any other peer gets the default UKI and no SystemUUID, so nobody
 * learns a machine's UUID by naming its address.
 */
public class HttpBootAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(HttpBootAnswers.class);

  private final BootConfigIndex index;
  private final DefaultUki defaultUki;
  private final TrustedProxies trustedProxies;
  private final Counter untrustedForwards;
  private final RecentPairs logged;

  public HttpBootAnswers(BootConfigIndex index, DefaultUki defaultUki, ClientBindingSettings binding,
      MeterRegistry metrics) {
    this.index = index;
    this.defaultUki = defaultUki;
    this.trustedProxies = binding.trustedProxies();
    this.untrustedForwards = Counter.builder("boot_httpboot_untrusted_forwarded_total")
        .description("/httpboot requests whose X-Forwarded-For came from a peer not in boot.trusted-proxies")
        .register(metrics);
    this.logged = new RecentPairs(binding.logCapacity());
  }

  /** The JSON body for the client. */
  public byte[] answerFor(@Header("X-Forwarded-For") Object forwardedFor, Exchange exchange) {
    List<String> clientIps = ClientAddresses.fromHeader(forwardedFor);
    String joined = String.join(",", clientIps);
    exchange.setProperty(BootRequests.MACHINE, joined.isEmpty() ? "-" : joined);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("ClientIPs", joined);
    HTTPBootConfig config = mayNameTheClient(clientIps, exchange) ? configFor(clientIps) : null;
    if (config != null) {
      body.put("SystemUUID", Objects.requireNonNullElse(config.getSpec().getSystemUUID(), ""));
      body.put("UKIURL", Objects.requireNonNullElse(config.getSpec().getUkiURL(), ""));
    } else {
      body.put("UKIURL", defaultUki.url());
    }
    return GoJson.object(body).getBytes(StandardCharsets.UTF_8);
  }

  private boolean mayNameTheClient(List<String> clientIps, Exchange exchange) {
    if (trustedProxies.isEmpty() || clientIps.isEmpty()) {
      return true;
    }
    ClientAddress client = BootRequests.client(exchange, trustedProxies);
    if (client.peerTrusted()) {
      return true;
    }
    untrustedForwards.increment();
    if (logged.firstTime(client.peer())) {
      LOG.warn("/httpboot: X-Forwarded-For from peer {}, which is not in boot.trusted-proxies, ignored: answered"
          + " the default UKI; logged once per peer", client.peer());
    }
    return false;
  }

  private HTTPBootConfig configFor(List<String> clientIps) {
    for (String ip : clientIps) {
      String key = NetworkIdentifier.canonical(ip);
      List<HTTPBootConfig> matches = index.httpConfigsForNetworkId(key);
      if (!matches.isEmpty()) {
        return BootConfigSelector.select(matches, index);
      }
    }
    return null;
  }
}
