package dev.ironcore.boot.oci;

/**
 * A registry operation that failed, with the kind of failure so that callers can answer with the
 * matching HTTP status and count it by kind.
 */
public class RegistryException extends RuntimeException {

  /** What went wrong, each with the status a proxy answers its client with. */
  public enum Kind {
    NOT_ALLOWED(403),
    DETECTION_FAILED(502),
    AUTH_FAILED(401),
    NOT_FOUND(404),
    UNREACHABLE(502),
    BAD_RESPONSE(502),
    DIGEST_MISMATCH(502),
    TIMEOUT(504);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Kind kind;

  public RegistryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
