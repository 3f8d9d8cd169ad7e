package dev.ironcore.boot.testing.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token endpoint for a registry in token-auth mode: answers {@code GET /token?service=&scope=}
 * with an RS256 JWT granting what the scope asks for, signed by a key whose self-signed cert
 * (made with the JDK's keytool) is the registry's {@code rootcertbundle}. Counts its requests.
 */
public final class TokenIssuer implements AutoCloseable {
  public static final String ISSUER = "test-issuer";
  public static final String SERVICE = "test-registry";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final HttpServer server;
  private final PrivateKey key;
  private final String keyId;
  private final Path bundle;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile long lifetimeSeconds = 300;
  private volatile int failureStatus;

  private TokenIssuer(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
    Path keystore = dir.resolve("issuer.p12");
    Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "issuer", "-keyalg", "RSA",
        "-keysize", "2048", "-dname", "CN=" + ISSUER, "-validity", "2", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), UTF_8);
    if (keytool.waitFor() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    key = (PrivateKey) store.getKey("issuer", "changeit".toCharArray());
    Certificate cert = store.getCertificate("issuer");
    keyId = libtrustKeyId(cert.getPublicKey().getEncoded());
    bundle = dir.resolve("bundle.pem");
    Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::issue);
    server.start();
  }

  public static TokenIssuer start(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
    return new TokenIssuer(dir);
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  public Path rootCertBundle() {
    return bundle;
  }

  public int requestCount() {
    return requests.get();
  }

  public void lifetimeSeconds(long seconds) {
    lifetimeSeconds = seconds;
  }

  /** From now on answer every request with this status (0 = issue tokens again). */
  public void failWith(int status) {
    failureStatus = status;
  }

  /** A token for the given scope, e.g. {@code repository:ironcore/boot:pull,push}. */
  public String token(String scope) throws GeneralSecurityException, IOException {
    Map<String, Object> header = Map.of("typ", "JWT", "alg", "RS256", "kid", keyId);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", SERVICE);
    claims.put("exp", Instant.now().getEpochSecond() + lifetimeSeconds);
    claims.put("access", access(scope));
    String signingInput = B64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
        + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update(signingInput.getBytes(UTF_8));
    return signingInput + "." + B64URL.encodeToString(rsa.sign());
  }

  private static List<Map<String, Object>> access(String scope) {
    if (scope == null || scope.isEmpty()) {
      return List.of();
    }
    String[] parts = scope.split(":", 3); // repository:<name>:<actions>
    return List.of(Map.of("type", parts[0], "name", parts[1], "actions", List.of(parts[2].split(","))));
  }

  private void issue(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      if (failureStatus != 0) {
        exchange.sendResponseHeaders(failureStatus, -1);
        return;
      }
      String scope = queryParameter(exchange.getRequestURI().getRawQuery(), "scope");
      byte[] body = JSON.writeValueAsBytes(Map.of("token", token(scope), "access_token", token(scope),
          "expires_in", lifetimeSeconds, "issued_at", Instant.now().toString()));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private static String queryParameter(String query, String name) {
    for (String pair : query == null ? new String[0] : query.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name) && kv.length == 2) {
        return URLDecoder.decode(kv[1], UTF_8);
      }
    }
    return null;
  }

  /** libtrust's key id: base32 of the first 30 bytes of SHA-256(SubjectPublicKeyInfo), in 4-char groups. */
  static String libtrustKeyId(byte[] subjectPublicKeyInfo) throws GeneralSecurityException {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder base32 = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < 30; i++) {
      buffer = (buffer << 8) | (hash[i] & 0xff);
      bits += 8;
      while (bits >= 5) {
        base32.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    return String.join(":", base32.toString().split("(?<=\\G.{4})"));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
