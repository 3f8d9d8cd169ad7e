package dev.ironcore.boot.config;

/** A Go-style listen address such as {@code :8082} or {@code 127.0.0.1:8082}. */
public record ListenAddress(String host, int port) {

  static ListenAddress parse(String property, String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new InvalidSettingException(property, value, "expected [host]:port");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(property, value, "port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new InvalidSettingException(property, value, "port must be 0-65535");
    }
    return new ListenAddress(host.isEmpty() ? "0.0.0.0" : host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
