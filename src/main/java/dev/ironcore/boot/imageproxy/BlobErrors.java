package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.oci.RegistryAllowList;
import dev.ironcore.boot.oci.RegistryException;
import dev.ironcore.boot.web.HttpStatusException;
import java.util.concurrent.CompletionException;

/**
 * The status and one-line reason (COMPAT §5) for a blob request that failed before any byte was
 * sent, and the detail for the log line. A 502 or 504 names the image and the kind of failure,
 * never an upstream address or what the upstream said: a client must not map the network through us.
 */
record BlobErrors(int status, String reason, String detail) {

  /** {@code image}: the image the client asked for, as it asked ("-" when its request did not say). */
  static BlobErrors of(Throwable failure, String image) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof HttpStatusException known) {
      return new BlobErrors(known.status(), known.getMessage(), known.getMessage());
    }
    if (cause instanceof RegistryException registry) {
      return of(registry, image);
    }
    return new BlobErrors(502, "Bad Gateway: blob download failed", String.valueOf(cause));
  }

  private static BlobErrors of(RegistryException failure, String image) {
    int status = failure.kind().httpStatus();
    String detail = failure.getMessage();
    return switch (failure.kind()) {
      case NOT_ALLOWED -> new BlobErrors(status, "Forbidden: " + (RegistryAllowList.REPOSITORY_NOT_ALLOWED
          .equals(failure.publicReason()) ? RegistryAllowList.REPOSITORY_NOT_ALLOWED : "Registry not allowed"), detail);
      case AUTH_FAILED -> new BlobErrors(status, "Authentication failed", detail);
      case DETECTION_FAILED -> new BlobErrors(status, "Registry detection failed", detail);
      case NOT_FOUND -> new BlobErrors(status, "Not Found: " + detail, detail);
      case TIMEOUT -> new BlobErrors(status, "Gateway Timeout: registry for " + image + " " + failure.publicReason(), detail);
      default -> new BlobErrors(status, "Bad Gateway: registry for " + image + " " + failure.publicReason(), detail);
    };
  }
}
