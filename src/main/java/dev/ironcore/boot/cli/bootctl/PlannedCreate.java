package dev.ironcore.boot.cli.bootctl;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** One object a move creates in the target, as it will be sent; {@code note} says what became of its owner. */
record PlannedCreate(MovedKind kind, GenericKubernetesResource object, String note) {

  String namespace() {
    return object.getMetadata().getNamespace();
  }

  String name() {
    return object.getMetadata().getName();
  }

  /** {@code Kind ns/name}, how every line of the command names an object. */
  String describe() {
    return kind.kind() + " " + namespace() + "/" + name();
  }
}
