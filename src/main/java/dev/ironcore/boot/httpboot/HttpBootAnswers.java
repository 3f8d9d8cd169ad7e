package dev.ironcore.boot.httpboot;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.index.BootConfigSelector;
import dev.ironcore.boot.index.NetworkIdentifier;
import dev.ironcore.boot.web.BootRequests;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/** Answers {@code /httpboot}: which UKI the client named by X-Forwarded-For boots (COMPAT §4). */
public class HttpBootAnswers {
  private final BootConfigIndex index;
  private final DefaultUki defaultUki;

  public HttpBootAnswers(BootConfigIndex index, DefaultUki defaultUki) {
    this.index = index;
    this.defaultUki = defaultUki;
  }

  /** The JSON body for the client. */
  public byte[] answerFor(@Header("X-Forwarded-For") Object forwardedFor, Exchange exchange) {
    List<String> clientIps = ClientAddresses.fromHeader(forwardedFor);
    String joined = String.join(",", clientIps);
    exchange.setProperty(BootRequests.MACHINE, joined.isEmpty() ? "-" : joined);
    Map<String, String> body = new LinkedHashMap<>();
    body.put("ClientIPs", joined);
    HTTPBootConfig config = configFor(clientIps);
    if (config != null) {
      body.put("SystemUUID", Objects.requireNonNullElse(config.getSpec().getSystemUUID(), ""));
      body.put("UKIURL", Objects.requireNonNullElse(config.getSpec().getUkiURL(), ""));
    } else {
      body.put("UKIURL", defaultUki.url());
    }
    return GoJson.object(body).getBytes(StandardCharsets.UTF_8);
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
