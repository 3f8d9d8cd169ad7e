package dev.ironcore.boot.oci;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import javax.net.ssl.SSLException;

/**
 * A failed TLS handshake with a registry, told as what the operator can act on rather than as the
 * JDK's words ("PKIX path building failed: … unable to find valid certification path"): a
 * certificate no trusted CA signed (add the CA to {@code boot.registry-ca-bundle}), one that does not
 * name the host asked for, or one outside its validity. Anything else is a handshake that failed.
 */
final class TlsFailure {
  private TlsFailure() {}

  /** {@code where}: the scheme and authority the handshake was with; {@code host}: the name it was to verify. */
  static RegistryException of(String where, String host, SSLException failure) {
    String untrusted = untrustedBecause(host, failure);
    if (untrusted != null) {
      return new RegistryException(RegistryException.Kind.UNTRUSTED, where + " presented a certificate " + untrusted,
          failure);
    }
    return new RegistryException(RegistryException.Kind.UNREACHABLE, where + " failed the TLS handshake: "
        + failure.getMessage(), failure);
  }

  /** Why the certificate was not trusted, with what to do; null when the handshake failed for another reason. */
  private static String untrustedBecause(String host, SSLException failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException
          || cause instanceof CertPathValidatorException validation && isOutOfDate(validation)) {
        return "outside its validity period (" + cause.getMessage() + "): the registry must renew it, or this"
            + " machine's clock is wrong";
      }
      if (cause instanceof CertPathBuilderException
          || cause instanceof CertPathValidatorException validation && isUnknownIssuer(validation)) {
        return "that no trusted CA signed: if the registry uses a private CA, add that CA's certificate (PEM)"
            + " to boot.registry-ca-bundle";
      }
      if (cause.getClass() == CertificateException.class && cause.getMessage() != null
          && (cause.getMessage().startsWith("No subject alternative") || cause.getMessage().startsWith("No name matching"))) {
        return "that does not name " + host + ": ask for the registry by a name its certificate holds";
      }
    }
    return null;
  }

  private static boolean isOutOfDate(CertPathValidatorException validation) {
    return validation.getReason() == CertPathValidatorException.BasicReason.EXPIRED
        || validation.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID;
  }

  /** No trusted CA at the chain's end, or one whose name it claims but whose key did not sign it. */
  private static boolean isUnknownIssuer(CertPathValidatorException validation) {
    return validation.getReason() == PKIXReason.NO_TRUST_ANCHOR
        || validation.getReason() == CertPathValidatorException.BasicReason.INVALID_SIGNATURE;
  }
}
