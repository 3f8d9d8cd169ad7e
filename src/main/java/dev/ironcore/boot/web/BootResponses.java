package dev.ironcore.boot.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;

/**
 * Sets the content type of a boot answer and turns its body into one buffer (so it gets a Content-Length).
 * Answers that may carry a machine's secrets (Ignition, a machine's iPXE script) say {@code no-store}, so
 * no proxy or client cache keeps them.
 */
public class BootResponses {
  static final String NO_STORE = "no-store";

  public void text(Exchange exchange) {
    respond(exchange, "text/plain; charset=utf-8");
  }

  public void json(Exchange exchange) {
    respond(exchange, "application/json");
  }

  public void privateText(Exchange exchange) {
    respond(exchange, "text/plain; charset=utf-8");
    exchange.getMessage().setHeader("Cache-Control", NO_STORE);
  }

  public void privateJson(Exchange exchange) {
    respond(exchange, "application/json");
    exchange.getMessage().setHeader("Cache-Control", NO_STORE);
  }

  private static void respond(Exchange exchange, String contentType) {
    var message = exchange.getMessage();
    Object body = message.getBody();
    byte[] bytes;
    if (body instanceof byte[] raw) {
      bytes = raw;
    } else {
      bytes = String.valueOf(body).getBytes(StandardCharsets.UTF_8);
    }
    message.removeHeaders("*");
    message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    message.setHeader(Exchange.CONTENT_TYPE, contentType);
    // platform-http writes a ByteBuffer with one end() and a Content-Length; byte[] goes through a
    // stream pump, and a Vert.x Buffer is sent chunked
    message.setBody(ByteBuffer.wrap(bytes));
  }
}
