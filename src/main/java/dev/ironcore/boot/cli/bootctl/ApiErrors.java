package dev.ironcore.boot.cli.bootctl;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** One short line for a failed API call: the status and the server's reason, or why it was not reached. */
final class ApiErrors {
  private ApiErrors() {}

  static String describe(KubernetesClientException e) {
    if (e.getCode() > 0) {
      String message = e.getStatus() == null ? null : e.getStatus().getMessage();
      return "the API server answered " + e.getCode() + (message == null ? "" : ": " + message);
    }
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return "the API server could not be reached: " + cause.getMessage();
  }

  /** Whether the server may have carried out a request that failed: no answer at all, or a 5xx. */
  static boolean outcomeUnknown(KubernetesClientException e) {
    return e.getCode() == 0 || e.getCode() >= 500;
  }
}
