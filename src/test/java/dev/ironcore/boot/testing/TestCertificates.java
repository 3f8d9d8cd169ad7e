package dev.ironcore.boot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A test certificate authority made with the {@code openssl} command line: a root, an intermediate it
 * signed, and leaf certificates for 127.0.0.1 and localhost signed by the intermediate. A leaf's
 * certificate file holds the chain as cert-manager writes {@code tls.crt}: leaf, then intermediate.
 */
public final class TestCertificates {
  /** The private key forms a leaf can be written in: what cert-manager and openssl produce. */
  public enum KeyForm {
    /** {@code BEGIN RSA PRIVATE KEY} (PKCS#1), cert-manager's default for RSA. */
    RSA_PKCS1("openssl genrsa -traditional -out %s 2048"),
    /** {@code BEGIN PRIVATE KEY} (PKCS#8). */
    RSA_PKCS8("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out %s"),
    /** {@code BEGIN EC PRIVATE KEY} (SEC1). */
    EC_SEC1("openssl ecparam -name prime256v1 -genkey -noout -out %s"),
    /** {@code BEGIN PRIVATE KEY} (PKCS#8) holding a P-256 key. */
    EC_PKCS8("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out %s");

    private final String command;

    KeyForm(String command) {
      this.command = command;
    }

    boolean ec() {
      return name().startsWith("EC");
    }
  }

  /** A leaf: its chain file (leaf + intermediate), its key file, and its subject's common name. */
  public record Leaf(Path certificateChain, Path key, String commonName) {}

  private static final String STORE_PASSWORD = "changeit";

  private final Path dir;
  private int issued;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** A root and an intermediate in {@code dir}. */
  public static TestCertificates authority(Path dir) throws IOException, InterruptedException {
    TestCertificates ca = new TestCertificates(dir);
    Files.writeString(dir.resolve("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
    ca.run("openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.crt -days 2 -subj /CN=Test-Root-CA"
        + " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
    ca.run("openssl req -newkey rsa:2048 -nodes -keyout intermediate.key -out intermediate.csr"
        + " -subj /CN=Test-Intermediate-CA");
    ca.run("openssl x509 -req -in intermediate.csr -CA root.crt -CAkey root.key -set_serial 2 -days 2"
        + " -extfile ca.ext -out intermediate.crt");
    return ca;
  }

  /** The root certificate, the only one a client trusts. */
  public Path root() {
    return dir.resolve("root.crt");
  }

  /** A new leaf for 127.0.0.1 and localhost, with a key of {@code form}; each has its own common name. */
  public Leaf leaf(KeyForm form) throws IOException, InterruptedException {
    return leaf(form, "IP:127.0.0.1,DNS:localhost");
  }

  /** A new leaf for {@code subjectAltNames} in openssl's words (e.g. {@code IP:127.0.0.2}). */
  public Leaf leaf(KeyForm form, String subjectAltNames) throws IOException, InterruptedException {
    int serial = 100 + ++issued;
    String name = "leaf-" + serial;
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, "basicConstraints=CA:FALSE\nsubjectAltName=" + subjectAltNames + "\n"
        + "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature" + (form.ec() ? "" : ",keyEncipherment") + "\n");
    run(String.format(form.command, name + ".key"));
    run("openssl req -new -key " + name + ".key -out " + name + ".csr -subj /CN=boot-" + serial);
    run("openssl x509 -req -in " + name + ".csr -CA intermediate.crt -CAkey intermediate.key -set_serial " + serial
        + " -days 2 -extfile " + ext.getFileName() + " -out " + name + ".crt");
    Path chain = dir.resolve(name + "-chain.crt");
    Files.writeString(chain, Files.readString(dir.resolve(name + ".crt")) + Files.readString(dir.resolve("intermediate.crt")));
    return new Leaf(chain, dir.resolve(name + ".key"), "boot-" + serial);
  }

  /** A server-side TLS context that presents {@code leaf} with its chain (through openssl's PKCS#12 export). */
  public SSLContext serverContext(Leaf leaf) throws IOException, InterruptedException, GeneralSecurityException {
    String store = leaf.commonName() + ".p12";
    run("openssl pkcs12 -export -in " + leaf.certificateChain().getFileName() + " -inkey " + leaf.key().getFileName()
        + " -out " + store + " -passout pass:" + STORE_PASSWORD);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(store))) {
      keys.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, STORE_PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), null, null);
    return context;
  }

  private void run(String command) throws IOException, InterruptedException {
    List<String> words = new ArrayList<>(List.of(command.split(" ")));
    Process process = new ProcessBuilder(words).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("'" + command + "' failed: " + Files.readString(dir.resolve("openssl.log")));
    }
  }
}
