package dev.ironcore.boot.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the metrics endpoint is served, as the Go manager's flags say: over HTTPS with Kubernetes
 * authentication and authorisation ({@code --metrics-secure}, by default when a cluster is
 * configured), with the certificate in {@code certDirectory} (re-read when it changes) or a
 * self-signed one, HTTP/2 only when asked for.
 *
 * @param secure {@code boot.metrics-secure} when set; unset means secure with a cluster, plain embedded
 * @param certDirectory {@code boot.metrics-cert-path}: the directory of the certificate and key files
 * @param certName the certificate file's name in it
 * @param keyName the key file's name in it
 * @param http2 {@code boot.enable-http2}
 */
public record MetricsServing(Optional<Boolean> secure, Optional<Path> certDirectory, String certName,
    String keyName, boolean http2) {

  static MetricsServing read(SettingReader read) {
    String secure = read.string("boot.metrics-secure", "");
    return new MetricsServing(
        secure.isEmpty() ? Optional.empty() : Optional.of(read.bool("boot.metrics-secure", true)),
        read.optionalPath("boot.metrics-cert-path"),
        read.nonBlank("boot.metrics-cert-name", "tls.crt"),
        read.nonBlank("boot.metrics-cert-key", "tls.key"),
        read.bool("boot.enable-http2", false));
  }

  /** Whether metrics are served securely, for a service that runs embedded or against a cluster. */
  public boolean secure(boolean embedded) {
    return secure.orElse(!embedded);
  }
}
