package dev.ironcore.boot.net;

/**
 * Who is asking: the {@code client} a request is taken to come from, and the TCP {@code peer} that
 * sent it (the same unless the peer is a trusted proxy). Both in canonical text, or {@value #UNKNOWN}.
 * {@code peerTrusted} tells whether the peer's {@code X-Forwarded-For} was believed.
 */
public record ClientAddress(String client, String peer, boolean peerTrusted) {
  public static final String UNKNOWN = "-";

  /** A request whose peer is no IP socket (a Unix domain socket): nothing to bind to. */
  static ClientAddress unknown() {
    return new ClientAddress(UNKNOWN, UNKNOWN, false);
  }
}
