package dev.ironcore.boot.web;

import dev.ironcore.boot.index.SystemUuid;
import org.apache.camel.Exchange;

/** What boot beans share about a request: UUID checks and the facts the request log reads. */
public final class BootRequests {
  /** Exchange property: the machine a request is about (UUID or client IPs), for the request log. */
  public static final String MACHINE = "bootMachine";
  /** Exchange property: the {@link dev.ironcore.boot.delivery.Delivery} to record once the answer is sent. */
  public static final String DELIVERY = "bootDelivery";

  private BootRequests() {}

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
