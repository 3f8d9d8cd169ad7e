package dev.ironcore.boot.cli.bootctl;

import dev.ironcore.boot.api.metal.MetalGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Works out a move without writing anything: lists the boot configs in the source, compares each with the
 * target, adds its ignition Secret, and finds the owner it gets in the target. Order as in Go's bootctl:
 * HTTPBootConfigs, then IPXEBootConfigs, each followed by its Secret.
 */
final class MovePlanner {
  private static final String SBC_KIND = "ServerBootConfiguration";
  private static final ResourceDefinitionContext SBC = new ResourceDefinitionContext.Builder()
      .withGroup(MetalGroup.NAME).withVersion(MetalGroup.VERSION).withKind(SBC_KIND)
      .withPlural("serverbootconfigurations").withNamespaced(true).build();

  private final KubernetesClient source;
  private final KubernetesClient target;
  private final MoveOptions options;
  private final Consumer<String> detail;
  private final SameObject sameObject;

  MovePlanner(KubernetesClient source, KubernetesClient target, MoveOptions options, Consumer<String> detail) {
    this.source = source;
    this.target = target;
    this.options = options;
    this.detail = detail;
    this.sameObject = new SameObject(source.getKubernetesSerialization());
  }

  MovePlan plan() {
    List<GenericKubernetesResource> httpConfigs = list(MovedKind.HTTP_BOOT_CONFIG);
    List<GenericKubernetesResource> ipxeConfigs = list(MovedKind.IPXE_BOOT_CONFIG);
    MovePlan plan = new MovePlan();
    httpConfigs.forEach(config -> planConfig(MovedKind.HTTP_BOOT_CONFIG, config, plan));
    ipxeConfigs.forEach(config -> planConfig(MovedKind.IPXE_BOOT_CONFIG, config, plan));
    return plan;
  }

  private List<GenericKubernetesResource> list(MovedKind kind) {
    List<GenericKubernetesResource> items;
    try {
      var operation = kind.in(source);
      items = (options.namespace().isEmpty() ? operation.inAnyNamespace() : operation.inNamespace(options.namespace()))
          .list().getItems();
    } catch (KubernetesClientException e) {
      throw new MoveException("couldn't list " + kind.pluralName() + ": " + ApiErrors.describe(e));
    }
    detail.accept("found " + items.size() + " " + kind.kind() + "(s) in the source cluster"
        + (items.isEmpty() ? "" : ": " + String.join(", ", items.stream().map(MovePlanner::key).toList())));
    return items;
  }

  private void planConfig(MovedKind kind, GenericKubernetesResource config, MovePlan plan) {
    GenericKubernetesResource existing = get(kind.in(target), config.getMetadata().getNamespace(),
        config.getMetadata().getName(), "failed to check an object existence in the target cluster: ");
    if (existing != null) {
      requireIdentical(kind, config, existing, "object");
      plan.skipIdentical();
      return;
    }
    GenericKubernetesResource copy = forTarget(config);
    String note = "";
    if (copy.getMetadata().getOwnerReferences().size() == 1) {
      note = repointOwner(copy.getMetadata());
    }
    plan.create(new PlannedCreate(kind, copy, note));
    String secretName = ignitionSecretName(config);
    if (secretName != null && plan.firstMention(config.getMetadata().getNamespace(), secretName)) {
      planSecret(config.getMetadata().getNamespace(), secretName, plan);
    }
  }

  private void planSecret(String namespace, String name, MovePlan plan) {
    String quoted = "\"" + namespace + "/" + name + "\"";
    GenericKubernetesResource secret = get(MovedKind.SECRET.in(source), namespace, name,
        "can't get a " + quoted + " secret in the source cluster: ");
    if (secret == null) {
      throw new MoveException("can't get a " + quoted + " secret in the source cluster: not found");
    }
    GenericKubernetesResource existing = get(MovedKind.SECRET.in(target), namespace, name,
        "can't get a " + quoted + " secret in the target cluster: ");
    if (existing != null) {
      requireIdentical(MovedKind.SECRET, secret, existing, "secret");
      plan.skipIdentical();
      return;
    }
    plan.create(new PlannedCreate(MovedKind.SECRET, forTarget(secret), ""));
  }

  private void requireIdentical(MovedKind kind, GenericKubernetesResource source, GenericKubernetesResource existing,
      String noun) {
    if (!sameObject.identical(source, existing)) {
      throw new MoveException("a \"" + key(source) + "\" " + noun
          + " already exists in the target cluster and is different than in the source cluster");
    }
    detail.accept("skipped " + kind.kind() + " " + key(source) + ": identical in the target cluster");
  }

  /**
   * Go gives a boot config with exactly one owner the target's ServerBootConfiguration of the config's own
   * namespace and name as its controller, or no owner when there is none (an error with --require-owners).
   */
  private String repointOwner(ObjectMeta metadata) {
    String key = metadata.getNamespace() + "/" + metadata.getName();
    GenericKubernetesResource owner = get(target.genericKubernetesResources(SBC), metadata.getNamespace(),
        metadata.getName(), "error when getting a server boot configuration: ");
    if (owner == null) {
      if (options.requireOwners()) {
        throw new MoveException("an owner ServerBootConfiguration \"" + key + "\" wasn't found in the target cluster");
      }
      metadata.setOwnerReferences(List.of());
      return "without an owner: no " + SBC_KIND + " " + key + " in the target cluster";
    }
    OwnerReference reference = new OwnerReferenceBuilder().withApiVersion(MetalGroup.API_VERSION).withKind(SBC_KIND)
        .withName(metadata.getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build();
    metadata.setOwnerReferences(List.of(reference));
    return "owned by " + SBC_KIND + " " + key + " (uid " + reference.getUid() + ")";
  }

  /** The object as it is sent: no server-set fields, no status (a subresource the API server drops on create). */
  private GenericKubernetesResource forTarget(GenericKubernetesResource object) {
    GenericKubernetesResource copy = source.getKubernetesSerialization().clone(object);
    ObjectMeta metadata = copy.getMetadata();
    metadata.setResourceVersion(null);
    metadata.setUid(null);
    metadata.setGeneration(null);
    metadata.setCreationTimestamp(null);
    metadata.setManagedFields(List.of());
    copy.getAdditionalProperties().remove("status");
    return copy;
  }

  private static String ignitionSecretName(GenericKubernetesResource config) {
    if (config.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
        && spec.get("ignitionSecretRef") instanceof Map<?, ?> ref
        && ref.get("name") instanceof String name && !name.isEmpty()) {
      return name;
    }
    return null;
  }

  private static GenericKubernetesResource get(MixedOperation<GenericKubernetesResource,
      GenericKubernetesResourceList, Resource<GenericKubernetesResource>> kind, String namespace, String name,
      String failure) {
    try {
      return kind.inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new MoveException(failure + ApiErrors.describe(e));
    }
  }

  private static String key(GenericKubernetesResource object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }
}
