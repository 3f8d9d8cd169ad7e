package dev.ironcore.boot.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * A bearer token from a registry's token endpoint and the moment we stop using it: shortly before
 * it expires, so that a request started just in time does not arrive with a dead token.
 */
public record RegistryToken(String value, Instant usableUntil) {
  /** The Docker token spec's lifetime when {@code expires_in} is absent. */
  static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
  private static final Duration MAX_SAFETY_MARGIN = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads a token response: {@code access_token} (OAuth 2) preferred over {@code token}; {@code
   * expires_in} seconds, {@link #DEFAULT_LIFETIME} when absent or not positive.
   */
  public static RegistryToken parse(byte[] body, Instant receivedAt) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw authFailed("the token endpoint answered with something that is not JSON", e);
    }
    if (json == null || !json.isObject()) {
      throw authFailed("the token endpoint answered with something that is not a JSON object", null);
    }
    String token = text(json, "access_token");
    if (token == null) {
      token = text(json, "token");
    }
    if (token == null) {
      throw authFailed("the token endpoint's answer has neither access_token nor token", null);
    }
    long seconds = json.path("expires_in").asLong(0);
    Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
    return new RegistryToken(token, receivedAt.plus(lifetime).minus(safetyMargin(lifetime)));
  }

  /** A quarter of the lifetime, at most 30 s: long-lived tokens lose little, short ones stay useful. */
  static Duration safetyMargin(Duration lifetime) {
    Duration quarter = lifetime.dividedBy(4);
    return quarter.compareTo(MAX_SAFETY_MARGIN) < 0 ? quarter : MAX_SAFETY_MARGIN;
  }

  public String authorizationHeader() {
    return "Bearer " + value;
  }

  private static String text(JsonNode json, String field) {
    JsonNode node = json.get(field);
    return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }

  private static RegistryException authFailed(String message, Throwable cause) {
    return new RegistryException(RegistryException.Kind.AUTH_FAILED, message, cause);
  }

  @Override
  public String toString() {
    return "RegistryToken[usableUntil=" + usableUntil + "]"; // never the token itself
  }
}
