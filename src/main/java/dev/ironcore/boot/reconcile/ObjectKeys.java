package dev.ironcore.boot.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Queue keys as the informer caches use them: {@code namespace/name}, or {@code name} when cluster-scoped. */
public final class ObjectKeys {
  private ObjectKeys() {}

  public static String of(HasMetadata object) {
    return of(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  public static String of(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** {@code Kind(namespace/name)}: how every log line names the object. */
  public static String describe(Class<? extends HasMetadata> kind, String key) {
    return HasMetadata.getKind(kind) + "(" + key + ")";
  }
}
