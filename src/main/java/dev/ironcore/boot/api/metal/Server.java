package dev.ironcore.boot.api.metal;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** metal.ironcore.dev/v1alpha1 Server (cluster-scoped): only the fields boot-operator reads. */
@Group(MetalGroup.NAME)
@Version(MetalGroup.VERSION)
@Kind("Server")
@Plural("servers")
public class Server extends CustomResource<ServerSpec, ServerStatus> {
  /** {@code status.state} of a Server in maintenance: it boots its maintenance configuration. */
  public static final String STATE_MAINTENANCE = "Maintenance";

  @Override
  protected ServerSpec initSpec() {
    return new ServerSpec();
  }

  @Override
  protected ServerStatus initStatus() {
    return new ServerStatus();
  }
}
