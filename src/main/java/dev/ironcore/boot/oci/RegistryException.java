package dev.ironcore.boot.oci;

/**
 * A registry operation that failed, with the kind of failure so that callers can answer with the
 * matching HTTP status and count it by kind.
 */
public class RegistryException extends RuntimeException {

  /**
   * What went wrong, each with the status a proxy answers its client with and what a client may be
   * told of it (after "registry for &lt;image&gt;"): never an address or an upstream's own words.
   */
  public enum Kind {
    NOT_ALLOWED(403, "is not allowed"),
    DETECTION_FAILED(502, "could not be detected"),
    AUTH_FAILED(401, "refused our credentials"),
    NOT_FOUND(404, "does not have it"),
    UNREACHABLE(502, "is unreachable"),
    /** Its TLS certificate (of the registry, or of a host it sent us to) failed verification ({@link TlsFailure}). */
    UNTRUSTED(502, "presented a certificate we do not trust"),
    BAD_RESPONSE(502, "sent an answer that is not a registry's"),
    DIGEST_MISMATCH(502, "sent content that does not match its digest"),
    /** A redirect or token realm that leads to a refused address or downgrades https ({@link UpstreamAddresses}). */
    REFUSED_UPSTREAM(502, "was refused"),
    TIMEOUT(504, "did not answer in time");

    private final int httpStatus;
    private final String publicReason;

    Kind(int httpStatus, String publicReason) {
      this.httpStatus = httpStatus;
      this.publicReason = publicReason;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Kind kind;
  private final String publicReason;

  public RegistryException(Kind kind, String message) {
    this(kind, message, (Throwable) null);
  }

  public RegistryException(Kind kind, String message, Throwable cause) {
    this(kind, message, kind.publicReason, cause);
  }

  /** {@code publicReason}: what a client may be told, when the kind's own words are too vague. */
  public RegistryException(Kind kind, String message, String publicReason) {
    this(kind, message, publicReason, null);
  }

  public RegistryException(Kind kind, String message, String publicReason, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.publicReason = publicReason;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * What a client may be told, e.g. "refused a redirect to a private address": the message itself
   * is for the log, as it may name internal addresses and repeat what the upstream said.
   */
  public String publicReason() {
    return publicReason;
  }
}
