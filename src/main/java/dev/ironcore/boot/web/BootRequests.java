package dev.ironcore.boot.web;

import dev.ironcore.boot.index.SystemUuid;
import dev.ironcore.boot.net.ClientAddress;
import dev.ironcore.boot.net.TrustedProxies;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/** What boot beans share about a request: UUID checks and the facts the request log reads. */
public final class BootRequests {
  /** Exchange property: the machine a request is about (UUID or client IPs), for the request log. */
  public static final String MACHINE = "bootMachine";
  /** Exchange property: the {@link dev.ironcore.boot.delivery.Delivery} to record once the answer is sent. */
  public static final String DELIVERY = "bootDelivery";
  /** Exchange property: the request's {@link ClientAddress}, worked out once. */
  static final String CLIENT = "bootClient";

  private BootRequests() {}

  /**
   * Who sent the request: its TCP peer as platform-http reports it (a header clients cannot set: the
   * component drops incoming {@code Camel*} headers), or with a trusted peer its X-Forwarded-For.
   */
  public static ClientAddress client(Exchange exchange, TrustedProxies trustedProxies) {
    ClientAddress client = exchange.getProperty(CLIENT, ClientAddress.class);
    if (client == null) {
      var message = exchange.getMessage();
      client = trustedProxies.clientOf(
          message.getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS, SocketAddress.class),
          message.getHeader("X-Forwarded-For"));
      exchange.setProperty(CLIENT, client);
    }
    return client;
  }

  /** The canonical UUID of a path parameter, or 400 naming what is wrong with it. */
  public static String requireUuid(String raw, Exchange exchange) {
    if (raw == null || raw.isEmpty()) {
      throw new BadRequestException("Bad Request: UUID is required");
    }
    if (raw.length() > SystemUuid.MAX_LENGTH) {
      throw new BadRequestException("Bad Request: UUID longer than " + SystemUuid.MAX_LENGTH + " characters");
    }
    if (!SystemUuid.isAcceptable(raw)) {
      throw new BadRequestException("Bad Request: UUID contains characters that are not allowed");
    }
    String uuid = SystemUuid.canonical(raw);
    exchange.setProperty(MACHINE, uuid);
    return uuid;
  }
}
