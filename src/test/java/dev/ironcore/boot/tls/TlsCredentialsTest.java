package dev.ironcore.boot.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ironcore.boot.testing.TestCertificates;
import dev.ironcore.boot.testing.TestCertificates.KeyForm;
import dev.ironcore.boot.testing.TestCertificates.Leaf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Certificate and key files checked as a pair, with certificates made by openssl. */
class TlsCredentialsTest {
  private static final Pattern PEM_BODY_LINE = Pattern.compile("(?m)^[A-Za-z0-9+/=]{40,}$");

  @TempDir static Path dir;
  private static TestCertificates ca;

  @BeforeAll
  static void authority() throws Exception {
    ca = TestCertificates.authority(dir);
  }

  private static TlsCredentials check(Path certificate, Path key) throws Exception {
    return TlsCredentials.check(PemFiles.read(certificate, key));
  }

  @ParameterizedTest
  @EnumSource(KeyForm.class)
  void acceptsEveryKeyFormCertManagerAndOpensslWrite(KeyForm form) throws Exception {
    Leaf leaf = ca.leaf(form);

    TlsCredentials credentials = check(leaf.certificateChain(), leaf.key());

    assertThat(credentials.chain()).hasSize(2);
    assertThat(credentials.key().getAlgorithm()).isEqualTo(form.name().startsWith("EC") ? "EC" : "RSA");
    assertThat(credentials.describe()).contains("subject CN=" + leaf.commonName(), "issuer CN=Test-Intermediate-CA",
        "chain of 2", "expires 20");
  }

  @Test
  void refusesAKeyOfAnotherCertificateNamingBothFilesAndNoKeyMaterial() throws Exception {
    Leaf one = ca.leaf(KeyForm.RSA_PKCS1);
    Leaf other = ca.leaf(KeyForm.RSA_PKCS1);

    assertThatThrownBy(() -> check(one.certificateChain(), other.key()))
        .isInstanceOf(InvalidCredentialsException.class)
        .hasMessageContaining(one.certificateChain().toString()).hasMessageContaining(other.key().toString())
        .hasMessageContaining("does not match")
        .satisfies(refusal -> assertNoKeyMaterial(refusal.getMessage(), other.key()));
  }

  @Test
  void refusesAnEcKeyForAnRsaCertificate() throws Exception {
    Leaf rsa = ca.leaf(KeyForm.RSA_PKCS8);
    Leaf ec = ca.leaf(KeyForm.EC_PKCS8);

    Leaf ecSec1 = ca.leaf(KeyForm.EC_SEC1);

    assertThatThrownBy(() -> check(rsa.certificateChain(), ec.key()))
        .hasMessageContaining("does not match the certificate (an EC key for an RSA certificate)");
    assertThatThrownBy(() -> check(ecSec1.certificateChain(), rsa.key()))
        .hasMessageContaining("does not match the certificate (an RSA key for an EC certificate)");
  }

  @Test
  void refusesAKeyFileThatIsNoKeyWithoutQuotingIt() throws Exception {
    Leaf leaf = ca.leaf(KeyForm.RSA_PKCS1);
    Path broken = dir.resolve("broken.key");
    String body = Files.readString(leaf.key()).replace("RSA PRIVATE KEY", "SECRET THING");
    Files.writeString(broken, body);

    assertThatThrownBy(() -> check(leaf.certificateChain(), broken))
        .hasMessageContaining(broken.toString()).hasMessageContaining("not a PEM private key")
        .satisfies(refusal -> assertNoKeyMaterial(refusal.getMessage(), leaf.key()));
  }

  @Test
  void refusesACertificateFileWithoutCertificates() throws Exception {
    Leaf leaf = ca.leaf(KeyForm.RSA_PKCS1);
    Path empty = Files.writeString(dir.resolve("empty.crt"), "");
    Path keyAsCertificate = leaf.key();

    assertThatThrownBy(() -> check(empty, leaf.key())).hasMessageContaining(empty.toString())
        .hasMessageContaining("no PEM certificate");
    assertThatThrownBy(() -> check(keyAsCertificate, leaf.key())).isInstanceOf(InvalidCredentialsException.class)
        .satisfies(refusal -> assertNoKeyMaterial(refusal.getMessage(), leaf.key()));
  }

  @Test
  void refusesAChainWithTheIntermediateFirst() throws Exception {
    Leaf leaf = ca.leaf(KeyForm.EC_SEC1);
    String[] certificates = Files.readString(leaf.certificateChain()).split("(?<=-----END CERTIFICATE-----\n)");
    Path reversed = Files.writeString(dir.resolve("reversed.crt"), certificates[1] + certificates[0]);

    assertThatThrownBy(() -> check(reversed, leaf.key())).hasMessageContaining("put the server's certificate first");
  }

  private static void assertNoKeyMaterial(String message, Path key) {
    try {
      Matcher line = PEM_BODY_LINE.matcher(Files.readString(key));
      while (line.find()) {
        assertThat(message).doesNotContain(line.group().substring(0, 20));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
