package dev.ironcore.boot.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Replaces the status subresource with a JSON patch that also sets {@code metadata.resourceVersion},
 * so a stale write fails with 409 (no server-side apply: the mock API lacks it). Not a JSON merge
 * patch: fabric8's CRUD mock appends arrays on merge (measured: [A] then [B] gives [A, B]), which
 * would duplicate conditions in tests; a JSON patch replaces the list the same way everywhere.
 */
public class JsonPatchStatusWriter implements StatusWriter {
  private final KubernetesClient client;
  private final ObjectMapper json = new ObjectMapper();

  public JsonPatchStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void write(CustomResource<?, BootConfigStatus> cached, BootConfigStatus status) {
    ArrayNode patch = json.createArrayNode();
    patch.addObject().put("op", "replace").put("path", "/metadata/resourceVersion")
        .put("value", cached.getMetadata().getResourceVersion());
    // "add" replaces an existing member and also works when there is no status yet
    patch.addObject().put("op", "add").put("path", "/status").set("value", json.valueToTree(status));
    client.resources(cached.getClass())
        .inNamespace(cached.getMetadata().getNamespace())
        .withName(cached.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), patch.toString());
  }
}
