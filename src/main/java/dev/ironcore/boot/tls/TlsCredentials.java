package dev.ironcore.boot.tls;

import dev.ironcore.boot.config.TlsSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * A certificate chain and its private key, checked as a pair: the chain parses, runs from the leaf
 * to its issuers, and the key signs what the leaf's public key verifies. Keys may be PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}), as
 * cert-manager and openssl write them; Vert.x reads all three.
 */
public final class TlsCredentials {
  /** The signature that proves the key belongs to the leaf, by key algorithm. */
  private static final Map<String, String> PROOF_SIGNATURES = Map.of("RSA", "SHA256withRSA", "EC", "SHA256withECDSA");
  private static final Pattern PEM_KEY =
      Pattern.compile("-----BEGIN (RSA |EC |)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

  private final PemFiles files;
  private final List<X509Certificate> chain;
  private final PrivateKey key;

  private TlsCredentials(PemFiles files, List<X509Certificate> chain, PrivateKey key) {
    this.files = files;
    this.chain = chain;
    this.key = key;
  }

  /** Reads the files the settings name and checks them; throws, naming the files, when they cannot be served. */
  public static TlsCredentials read(TlsSettings settings) {
    Path certificate = settings.certFile().orElseThrow();
    Path key = settings.keyFile().orElseThrow();
    try {
      return check(PemFiles.read(certificate, key));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TLS certificate " + certificate + " and key " + key, e);
    }
  }

  /** Checks the files' bytes as a pair. */
  static TlsCredentials check(PemFiles files) {
    List<X509Certificate> chain = chain(files);
    X509Certificate leaf = chain.get(0);
    String algorithm = leaf.getPublicKey().getAlgorithm();
    if (!PROOF_SIGNATURES.containsKey(algorithm)) {
      throw new InvalidCredentialsException(files, "the certificate's key is " + algorithm + "; only RSA and ECDSA are served");
    }
    PrivateKey key = privateKey(files, algorithm);
    requireMatch(files, leaf, key);
    return new TlsCredentials(files, chain, key);
  }

  public Instant notAfter() {
    return chain.get(0).getNotAfter().toInstant();
  }

  PemFiles files() {
    return files;
  }

  List<X509Certificate> chain() {
    return chain;
  }

  PrivateKey key() {
    return key;
  }

  /** What a log line says of the pair: public facts of the leaf only. */
  public String describe() {
    X509Certificate leaf = chain.get(0);
    return "subject " + leaf.getSubjectX500Principal().getName() + ", issuer " + leaf.getIssuerX500Principal().getName()
        + ", " + leaf.getPublicKey().getAlgorithm() + " key, expires " + notAfter() + ", chain of " + chain.size();
  }

  private static List<X509Certificate> chain(PemFiles files) {
    List<X509Certificate> chain;
    try {
      chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(files.certificate())).stream()
          .map(X509Certificate.class::cast).toList();
    } catch (CertificateException e) {
      throw new InvalidCredentialsException(files, "the certificate file is not a PEM certificate chain (" + e.getMessage() + ")");
    }
    if (chain.isEmpty()) {
      throw new InvalidCredentialsException(files, "the certificate file holds no PEM certificate");
    }
    for (int i = 1; i < chain.size(); i++) {
      if (!chain.get(i - 1).getIssuerX500Principal().equals(chain.get(i).getSubjectX500Principal())) {
        throw new InvalidCredentialsException(files, "certificate " + (i + 1) + " of the chain did not issue certificate "
            + i + ": put the server's certificate first, then each issuer in turn");
      }
    }
    return chain;
  }

  /** Vert.x's PEM reader knows the three key forms; from values, not paths, it reads no file and needs no instance. */
  private static PrivateKey privateKey(PemFiles files, String algorithm) {
    KeyManager[] managers;
    try {
      managers = new PemKeyCertOptions().setCertValue(Buffer.buffer(files.certificate()))
          .setKeyValue(Buffer.buffer(files.key())).getKeyManagerFactory(null).getKeyManagers();
    } catch (Exception e) {
      // the exception's text is not shown: a parser may quote what it could not read
      String keyAlgorithm = keyAlgorithm(files.key());
      if (keyAlgorithm != null && !keyAlgorithm.equals(algorithm)) {
        // Vert.x stores key and certificate together, which fails when their algorithms differ
        throw new InvalidCredentialsException(files, "the private key does not match the certificate (an "
            + keyAlgorithm + " key for an " + algorithm + " certificate)");
      }
      throw new InvalidCredentialsException(files, "the key file is not a PEM private key (PRIVATE KEY, RSA PRIVATE KEY"
          + " or EC PRIVATE KEY; encrypted keys are not supported)");
    }
    X509KeyManager keys = (X509KeyManager) managers[0];
    String[] aliases = keys.getServerAliases(algorithm, null);
    if (aliases == null || aliases.length == 0) {
      throw new InvalidCredentialsException(files, "the private key does not match the certificate (not an "
          + algorithm + " key)");
    }
    return keys.getPrivateKey(aliases[0]);
  }

  /** RSA or EC for a well-formed PEM key of either, else null: only to say why a pair was refused. */
  private static String keyAlgorithm(byte[] pem) {
    Matcher block = PEM_KEY.matcher(new String(pem, StandardCharsets.US_ASCII));
    if (!block.find()) {
      return null;
    }
    if (!block.group(1).isEmpty()) {
      return block.group(1).trim();
    }
    byte[] der = Base64.getMimeDecoder().decode(block.group(2));
    for (String candidate : PROOF_SIGNATURES.keySet()) {
      try {
        KeyFactory.getInstance(candidate).generatePrivate(new PKCS8EncodedKeySpec(der));
        return candidate;
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    return null;
  }

  private static void requireMatch(PemFiles files, X509Certificate leaf, PrivateKey key) {
    String proof = PROOF_SIGNATURES.get(leaf.getPublicKey().getAlgorithm());
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(proof);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(proof);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(challenge);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new InvalidCredentialsException(files, "the private key does not match the certificate");
    }
  }
}
