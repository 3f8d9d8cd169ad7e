package dev.ironcore.boot.cli.bootctl;

import dev.ironcore.boot.api.boot.BootGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The kinds a move copies, handled as plain JSON so every field travels (and is compared) as the
 * API server has it, including ones this version's model does not know.
 */
enum MovedKind {
  HTTP_BOOT_CONFIG("HTTPBootConfig", "HTTPBootConfigs", BootGroup.NAME, BootGroup.VERSION, "httpbootconfigs"),
  IPXE_BOOT_CONFIG("IPXEBootConfig", "IPXEBootConfigs", BootGroup.NAME, BootGroup.VERSION, "ipxebootconfigs"),
  SECRET("Secret", "Secrets", "", "v1", "secrets");

  private final String kind;
  private final String pluralName;
  private final ResourceDefinitionContext context;

  MovedKind(String kind, String pluralName, String group, String version, String plural) {
    this.kind = kind;
    this.pluralName = pluralName;
    this.context = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withNamespaced(true).build();
  }

  MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> in(
      KubernetesClient client) {
    return client.genericKubernetesResources(context);
  }

  String kind() {
    return kind;
  }

  String pluralName() {
    return pluralName;
  }
}
