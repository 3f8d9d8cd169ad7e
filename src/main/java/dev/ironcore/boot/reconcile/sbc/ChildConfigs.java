package dev.ironcore.boot.reconcile.sbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.oci.BootMethod;
import dev.ironcore.boot.reconcile.ObjectKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, updates and deletes an SBC's boot configs (never server-side apply: the mock API lacks
 * it). An update or delete carries the cached resourceVersion, so a concurrent change fails with
 * 409 and the SBC is reconciled again; nothing is written when spec and owner references are
 * already as desired.
 */
public class ChildConfigs {
  private static final Logger LOG = LoggerFactory.getLogger(ChildConfigs.class);

  private final KubernetesClient client;
  private final BootConfigIndex index;
  private final ObjectMapper json = new ObjectMapper();

  public ChildConfigs(KubernetesClient client, BootConfigIndex index) {
    this.client = client;
    this.index = index;
  }

  /** Makes the child look like {@code desired}; returns its current status (null while it has none). */
  public <S, T extends CustomResource<S, BootConfigStatus>> BootConfigStatus apply(T desired) {
    @SuppressWarnings("unchecked") // a custom resource's class is its kind
    Class<T> kind = (Class<T>) desired.getClass();
    String key = ObjectKeys.of(desired);
    String object = ObjectKeys.describe(kind, key);
    T current = index.cached(kind, key);
    if (current == null) {
      client.resource(desired).create();
      LOG.info("{}: created", object);
      return null;
    }
    refuseForeignController(current, desired, object);
    if (sameSpec(current, desired) && current.getMetadata().getOwnerReferences()
        .equals(desired.getMetadata().getOwnerReferences())) {
      return current.getStatus();
    }
    T updated = client.getKubernetesSerialization().clone(current);
    updated.setSpec(desired.getSpec());
    updated.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
    client.resource(updated).update();
    LOG.info("{}: updated", object);
    return current.getStatus();
  }

  /** The SBC's boot configs as cached (named like it), by the boot method each serves. */
  public Map<BootMethod, HasMetadata> existing(ServerBootConfiguration sbc) {
    String key = ObjectKeys.of(sbc);
    Map<BootMethod, HasMetadata> existing = new EnumMap<>(BootMethod.class);
    IPXEBootConfig ipxe = index.cached(IPXEBootConfig.class, key);
    HTTPBootConfig http = index.cached(HTTPBootConfig.class, key);
    if (ipxe != null) {
      existing.put(BootMethod.PXE, ipxe);
    }
    if (http != null) {
      existing.put(BootMethod.HTTP, http);
    }
    return existing;
  }

  /** Deletes {@code config} if it is still the version that was judged obsolete. */
  public void delete(HasMetadata config, String why) {
    client.resource(config).lockResourceVersion().delete();
    LOG.info("{}: deleted, {}", ObjectKeys.describe(config.getClass(), ObjectKeys.of(config)), why);
  }

  private boolean sameSpec(CustomResource<?, ?> current, CustomResource<?, ?> desired) {
    return json.valueToTree(current.getSpec()).equals(json.valueToTree(desired.getSpec()));
  }

  /** As controller-runtime's SetControllerReference: an object has one controller, and we do not steal it. */
  private static void refuseForeignController(CustomResource<?, ?> current, CustomResource<?, ?> desired,
      String object) {
    String ours = desired.getMetadata().getOwnerReferences().get(0).getUid();
    current.getMetadata().getOwnerReferences().stream()
        .filter(ref -> Boolean.TRUE.equals(ref.getController()) && !Objects.equals(ref.getUid(), ours))
        .findFirst()
        .ifPresent(other -> {
          throw new IllegalStateException(object + " is already controlled by " + describe(other));
        });
  }

  private static String describe(OwnerReference ref) {
    return ref.getKind() + "(" + ref.getName() + ", uid " + ref.getUid() + ")";
  }
}
