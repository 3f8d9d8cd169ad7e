package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.oci.RegistryException;
import dev.ironcore.boot.web.HttpStatusException;
import java.util.concurrent.CompletionException;

/** The status and one-line reason (COMPAT §5) for a blob request that failed before any byte was sent. */
record BlobErrors(int status, String reason) {

  static BlobErrors of(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof HttpStatusException known) {
      return new BlobErrors(known.status(), known.getMessage());
    }
    if (cause instanceof RegistryException registry) {
      return of(registry);
    }
    return new BlobErrors(502, "Bad Gateway: blob download failed");
  }

  private static BlobErrors of(RegistryException failure) {
    int status = failure.kind().httpStatus();
    return switch (failure.kind()) {
      case NOT_ALLOWED -> new BlobErrors(status, "Forbidden: Registry not allowed");
      case AUTH_FAILED -> new BlobErrors(status, "Authentication failed");
      case DETECTION_FAILED -> new BlobErrors(status, "Registry detection failed");
      case NOT_FOUND -> new BlobErrors(status, "Not Found: " + failure.getMessage());
      case TIMEOUT -> new BlobErrors(status, "Gateway Timeout: " + failure.getMessage());
      default -> new BlobErrors(status, "Bad Gateway: " + failure.getMessage());
    };
  }
}
