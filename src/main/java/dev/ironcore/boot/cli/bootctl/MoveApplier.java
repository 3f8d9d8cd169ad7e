package dev.ironcore.boot.cli.bootctl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Creates a plan's objects in the target in order; when one fails, deletes every object it created. */
final class MoveApplier {
  private final KubernetesClient target;
  private final Consumer<String> detail;

  MoveApplier(KubernetesClient target, Consumer<String> detail) {
    this.target = target;
    this.detail = detail;
  }

  void apply(List<PlannedCreate> creates) {
    List<PlannedCreate> created = new ArrayList<>();
    for (PlannedCreate create : creates) {
      try {
        create.kind().in(target).inNamespace(create.namespace()).resource(create.object()).create();
      } catch (KubernetesClientException e) {
        // A create that got no answer, or a 5xx, may have been stored all the same: it is deleted too.
        List<PlannedCreate> toDelete = new ArrayList<>(created);
        if (ApiErrors.outcomeUnknown(e)) {
          toDelete.add(create);
        }
        throw new MoveException("object \"" + create.namespace() + "/" + create.name()
            + "\" couldn't be created in the target cluster: " + ApiErrors.describe(e) + "\n"
            + rollBack(toDelete, created.size()));
      }
      created.add(create);
      detail.accept("created " + create.describe() + (create.note().isEmpty() ? "" : ", " + create.note()));
    }
  }

  /** Deletes {@code toDelete}, newest first (an object already gone counts as deleted), and says how that went. */
  private String rollBack(List<PlannedCreate> toDelete, int created) {
    List<String> left = new ArrayList<>();
    for (int i = toDelete.size() - 1; i >= 0; i--) {
      PlannedCreate create = toDelete.get(i);
      try {
        create.kind().in(target).inNamespace(create.namespace()).withName(create.name()).delete();
        detail.accept("deleted " + create.describe() + " again");
      } catch (KubernetesClientException e) {
        left.add(create.describe() + " (" + ApiErrors.describe(e) + ")");
      }
    }
    String cleanup = "clean up of already moved objects was performed to restore a target cluster's state: ";
    if (left.isEmpty()) {
      return cleanup + "deleted the " + created + " object(s) created so far";
    }
    return cleanup + "could not delete " + String.join(", ", left) + "; delete them by hand";
  }
}
