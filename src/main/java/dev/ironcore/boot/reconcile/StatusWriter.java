package dev.ironcore.boot.reconcile;

import dev.ironcore.boot.api.boot.BootConfigStatus;
import io.fabric8.kubernetes.client.CustomResource;

/** Writes a boot config's status; the seam where tests interpose a conflicting write. */
@FunctionalInterface
public interface StatusWriter {
  /**
   * Replaces the status of {@code cached}, but only if the object is still at the cached
   * resourceVersion: a concurrent change makes it throw (409), and the reconcile is retried.
   */
  void write(CustomResource<?, BootConfigStatus> cached, BootConfigStatus status);
}
