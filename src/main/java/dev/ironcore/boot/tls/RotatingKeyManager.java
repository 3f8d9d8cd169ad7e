package dev.ironcore.boot.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The servers' key manager: every handshake asks it for the current pair, so a new pair is in
 * service the moment it is installed, on every server, with nothing rebuilt. (Vert.x 4.5.22's
 * {@code HttpServer.updateSSLOptions} rebuilds the SSL context on a worker and, until that is done,
 * closes each new connection with a NullPointerException: measured, 23 ms per reload on loopback.)
 *
 * <p>A handshake asks for an alias first and the chain and key by that alias after, so each pair has
 * an alias of its own and the one before stays reachable: a handshake that began on it finishes on it.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {
  private record Pair(String alias, X509Certificate[] chain, PrivateKey key) {}

  private volatile Pair current;
  private volatile Pair previous;
  private long installed;

  RotatingKeyManager(TlsCredentials initial) {
    install(initial);
  }

  /** Puts {@code credentials} into service for new handshakes. */
  synchronized void install(TlsCredentials credentials) {
    previous = current;
    current = new Pair("pair-" + ++installed, credentials.chain().toArray(X509Certificate[]::new), credentials.key());
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Pair pair = byAlias(alias);
    return pair == null ? null : pair.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Pair pair = byAlias(alias);
    return pair == null ? null : pair.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return null;
  }

  /** The current pair's alias when its key is of the type the cipher suite needs ({@code RSA}, {@code EC}). */
  private String aliasFor(String keyType) {
    Pair pair = current;
    return pair.key().getAlgorithm().equals(keyType) ? pair.alias() : null;
  }

  private Pair byAlias(String alias) {
    Pair now = current;
    if (now.alias().equals(alias)) {
      return now;
    }
    Pair before = previous;
    return before != null && before.alias().equals(alias) ? before : null;
  }
}
