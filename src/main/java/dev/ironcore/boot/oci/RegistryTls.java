package dev.ironcore.boot.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The TLS context for registries: the JDK's trusted CAs plus those of an optional PEM bundle. */
public final class RegistryTls {
  private RegistryTls() {}

  /** The JDK's default context, or one that also trusts the settings' CA bundle. */
  public static SSLContext context(RegistrySettings settings) {
    if (settings.caBundle().isEmpty()) {
      try {
        return SSLContext.getDefault();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK has no default TLS context", e);
      }
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers(settings).getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use registry CA bundle: " + e.getMessage(), e);
    }
  }

  /** The JDK's CAs plus the bundle's. */
  private static TrustManagerFactory trustManagers(RegistrySettings settings) {
    Path bundle = settings.caBundle().orElseThrow();
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int index = 0;
      for (X509Certificate jdkCa : defaultTrustManager().getAcceptedIssuers()) {
        trusted.setCertificateEntry("jdk-" + index++, jdkCa);
      }
      for (Certificate extra : readPem(bundle)) {
        trusted.setCertificateEntry("bundle-" + index++, extra);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      return factory;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use registry CA bundle " + bundle + ": " + e.getMessage(), e);
    }
  }

  private static Collection<? extends Certificate> readPem(Path bundle) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(bundle)) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new GeneralSecurityException("it holds no PEM certificate");
      }
      return certificates;
    }
  }

  private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (var manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no default X.509 trust manager");
  }
}
