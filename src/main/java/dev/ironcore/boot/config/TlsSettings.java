package dev.ironcore.boot.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTPS for the boot endpoints and the image proxy.
 *
 * @param certFile PEM certificate chain, leaf first (cert-manager's {@code tls.crt}); empty: no HTTPS
 * @param keyFile PEM private key of the leaf (cert-manager's {@code tls.key})
 * @param address where the HTTPS servers listen
 * @param plainHttp whether the boot and image ports still answer plain HTTP
 * @param reloadPeriod how often the two files are checked for a new pair
 */
public record TlsSettings(Optional<Path> certFile, Optional<Path> keyFile, ListenAddress address, boolean plainHttp,
    Duration reloadPeriod) {

  public TlsSettings {
    if (certFile.isPresent() != keyFile.isPresent()) {
      String missing = certFile.isPresent() ? "boot.tls-key-file" : "boot.tls-cert-file";
      throw new InvalidSettingException(missing, "", "must be set together with "
          + (certFile.isPresent() ? "boot.tls-cert-file" : "boot.tls-key-file") + " (both files or neither)");
    }
    if (!plainHttp && certFile.isEmpty()) {
      throw new InvalidSettingException("boot.plain-http", "false",
          "needs boot.tls-cert-file and boot.tls-key-file, else nothing would serve the boot endpoints");
    }
  }

  static TlsSettings read(SettingReader read) {
    return new TlsSettings(read.optionalFile("boot.tls-cert-file"), read.optionalFile("boot.tls-key-file"),
        read.address("boot.boot-server-tls-address", ":8443"), read.bool("boot.plain-http", true),
        read.duration("boot.tls-reload-period", "5s"));
  }

  /** Refuses an HTTPS address on the port of a plain one that is served: one port cannot speak both. */
  public void requireOwnPort(ListenAddress... plainAddresses) {
    for (ListenAddress plain : plainAddresses) {
      if (enabled() && plainHttp && plain.port() == address.port()) {
        throw new InvalidSettingException("boot.boot-server-tls-address", address.toString(),
            "port " + address.port() + " is already a plain HTTP port; pick another");
      }
    }
  }

  /** Refuses an HTTPS address on the port of a server that always listens (probes, metrics). */
  public void requireApartFrom(String property, ListenAddress other) {
    if (enabled() && other.port() == address.port()) {
      throw new InvalidSettingException("boot.boot-server-tls-address", address.toString(),
          "port " + address.port() + " is the port of " + property + "; pick another");
    }
  }

  /** True when the boot endpoints are served over HTTPS too. */
  public boolean enabled() {
    return certFile.isPresent();
  }
}
