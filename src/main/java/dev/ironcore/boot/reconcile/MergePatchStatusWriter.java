package dev.ironcore.boot.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * A JSON merge patch on the status subresource carrying {@code metadata.resourceVersion} (the mock
 * API has no server-side apply). The whole conditions list is sent, as merge patch replaces arrays,
 * so it must be built from the cached object: the resourceVersion makes a stale list fail with 409.
 */
public class MergePatchStatusWriter implements StatusWriter {
  private final KubernetesClient client;
  private final ObjectMapper json = new ObjectMapper();

  public MergePatchStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void write(CustomResource<?, BootConfigStatus> cached, BootConfigStatus status) {
    ObjectNode patch = json.createObjectNode();
    patch.putObject("metadata").put("resourceVersion", cached.getMetadata().getResourceVersion());
    patch.set("status", json.valueToTree(status));
    client.resources(cached.getClass())
        .inNamespace(cached.getMetadata().getNamespace())
        .withName(cached.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
  }
}
