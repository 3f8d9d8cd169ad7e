package dev.ironcore.boot.testing;

import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.MetalGroup;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;

/** Builders for the objects tests put into the mock API. */
public final class Fixtures {
  public static final String NAMESPACE = "default";

  private Fixtures() {}

  public static IPXEBootConfig ipxeConfig(String name, String uuid, String kernel, String initrd, String squashfs) {
    IPXEBootConfig config = new IPXEBootConfig();
    config.setMetadata(meta(name));
    config.getSpec().setSystemUUID(uuid);
    config.getSpec().setKernelURL(kernel);
    config.getSpec().setInitrdURL(initrd);
    config.getSpec().setSquashfsURL(squashfs);
    return config;
  }

  public static HTTPBootConfig httpConfig(String name, String uuid, List<String> networkIds, String ukiUrl) {
    HTTPBootConfig config = new HTTPBootConfig();
    config.setMetadata(meta(name));
    config.getSpec().setSystemUUID(uuid);
    config.getSpec().setNetworkIdentifiers(networkIds);
    config.getSpec().setUkiURL(ukiUrl);
    return config;
  }

  public static Secret secret(String name, Map<String, String> stringData) {
    return new SecretBuilder().withMetadata(meta(name)).withStringData(stringData).build();
  }

  public static LocalObjectReference ref(String name) {
    return new LocalObjectReference(name);
  }

  /** A Server whose workload and maintenance boot configurations are the named SBCs (null for none). */
  public static Server server(String name, String workloadSbc, String maintenanceSbc, String state) {
    Server server = new Server();
    server.setMetadata(new ObjectMetaBuilder().withName(name).build());
    server.getSpec().setBootConfigurationRef(sbcRef(workloadSbc));
    server.getSpec().setMaintenanceBootConfigurationRef(sbcRef(maintenanceSbc));
    server.getStatus().setState(state);
    return server;
  }

  public static ServerBootConfiguration sbc(String name, String serverName) {
    ServerBootConfiguration sbc = new ServerBootConfiguration();
    sbc.setMetadata(meta(name));
    sbc.getSpec().setServerRef(new LocalObjectReference(serverName));
    return sbc;
  }

  /** Marks {@code config} as created by the SBC {@code sbcName}, as the controllers do. */
  public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T ownedBy(T config, String sbcName) {
    config.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
        .withApiVersion(MetalGroup.API_VERSION).withKind("ServerBootConfiguration").withName(sbcName)
        .withUid("uid-" + sbcName).withController(true).build()));
    return config;
  }

  private static ObjectReference sbcRef(String name) {
    return name == null ? null : new ObjectReferenceBuilder().withNamespace(NAMESPACE).withName(name).build();
  }

  private static ObjectMeta meta(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build();
  }
}
