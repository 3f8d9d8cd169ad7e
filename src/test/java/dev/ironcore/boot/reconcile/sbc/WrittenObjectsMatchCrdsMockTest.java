package dev.ironcore.boot.reconcile.sbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.boot.IPXEBootConfig;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.delivery.Delivery;
import dev.ironcore.boot.delivery.DeliveryConditions;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.CrdSchemas;
import dev.ironcore.boot.testing.Fixtures;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the service writes into the API (the boot configs it creates, their statuses, the
 * SBCs' statuses, the delivery conditions), written through the usual flows and then read back from
 * the mock API and checked against the CRD schemas in k8s/: the mock validates nothing, while an
 * API server with upstream's CRDs refuses what fails there.
 */
class WrittenObjectsMatchCrdsMockTest {
  private static final CrdSchemas SCHEMAS = CrdSchemas.ofProject();
  private static final String BUTANE_THAT_FAILS = "variant: fcos\nversion: 9.9.9\n";

  @TempDir Path dir;
  private TestRegistry registry;
  private SbcWorld world;

  @BeforeEach
  void start() throws Exception {
    registry = TestRegistry.anonymous(dir);
    world = new SbcWorld(registry);
  }

  @AfterEach
  void stop() throws Exception {
    world.close();
    registry.close();
  }

  @Test
  void everyObjectTheControllersAndDeliveriesWritePassesTheCrdSchemas() throws Exception {
    // Given an image that boots both ways, and SBCs that end Ready, Pending and in Error
    String repo = "os/both";
    world.pusher.image(repo, "1.0", List.of(world.layer(repo, LayerMediaTypes.KERNEL, "kernel"),
        world.layer(repo, LayerMediaTypes.INITRAMFS, "initrd"), world.layer(repo, LayerMediaTypes.SQUASHFS, "root"),
        world.layer(repo, LayerMediaTypes.UKI, "uki")));
    world.createServer("both");
    world.createSbc("both", world.image(repo, "1.0"));
    world.createSbc("no-server", world.image(repo, "1.0"));
    world.createServer("not-allowed");
    world.createSbc("not-allowed", "127.0.0.5:5999/os/elsewhere:1.0");
    // whose error message (the whole reference) is longer than metav1.Condition admits
    world.createServer("long-name");
    world.createSbc("long-name", registry.host() + "/" + "a".repeat(40_000) + ":1.0");
    // and boot configs of no SBC: one whose Secret is missing, one whose Butane does not translate
    IPXEBootConfig lonely = Fixtures.ipxeConfig("lonely", "uuid-lonely", "http://k", "http://i", null);
    lonely.getSpec().setIgnitionSecretRef(Fixtures.ref("missing"));
    world.client.resource(lonely).create();
    world.client.resource(Fixtures.secret("butane", Map.of("ignition", BUTANE_THAT_FAILS, "format", "fcos"))).create();
    HTTPBootConfig butane = Fixtures.httpConfig("butane", "uuid-butane", List.of("10.0.0.9"), "http://uki");
    butane.getSpec().setIgnitionSecretRef(Fixtures.ref("butane"));
    world.client.resource(butane).create();

    // When the controllers have settled them
    world.awaitState("both", "Ready");
    world.awaitState("no-server", "Pending");
    world.awaitState("not-allowed", "Error");
    world.awaitState("long-name", "Error");
    await().atMost(SbcWorld.WAIT).untilAsserted(() -> {
      assertThat(state(world.ipxe("lonely").getStatus())).isEqualTo("Error");
      assertThat(state(world.http("butane").getStatus())).isEqualTo("Error");
    });
    // and the boot endpoints have recorded deliveries, one of them a refusal
    try (DeliveryConditions deliveries =
        new DeliveryConditions(world.client, world.harness.metrics(), Clock.systemUTC())) {
      deliveries.record(Delivery.ipxeScript(world.ipxe("both")));
      deliveries.record(Delivery.ignition(world.http("both")));
      deliveries.record(Delivery.ipxeScriptRefused(lonely, "kernelURL is not an http(s) URL"));
      await().atMost(SbcWorld.WAIT).untilAsserted(() -> {
        assertThat(Conditions.find(world.ipxe("both").getStatus().getConditions(), Delivery.IPXE_SCRIPT_FETCHED))
            .isNotNull();
        assertThat(Conditions.find(world.http("both").getStatus().getConditions(), Delivery.IGNITION_DATA_FETCHED))
            .isNotNull();
        assertThat(Conditions.find(world.ipxe("lonely").getStatus().getConditions(), Delivery.IPXE_SCRIPT_FETCHED))
            .isNotNull();
      });
    }

    // Then every object in the API passes its CRD's schema
    List<GenericKubernetesResource> stored = Stream.of(IPXEBootConfig.class, HTTPBootConfig.class,
            ServerBootConfiguration.class, Server.class)
        .flatMap(kind -> world.client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(kind))
            .inAnyNamespace().list().getItems().stream())
        .toList();
    assertThat(stored).extracting(object -> object.getKind() + "/" + object.getMetadata().getName())
        .contains("IPXEBootConfig/both", "HTTPBootConfig/both", "IPXEBootConfig/lonely", "HTTPBootConfig/butane",
            "ServerBootConfiguration/both", "ServerBootConfiguration/no-server", "ServerBootConfiguration/not-allowed",
            "ServerBootConfiguration/long-name");
    List<String> violations = stored.stream().flatMap(object -> SCHEMAS.violations(object).stream()
        .map(violation -> object.getKind() + "/" + object.getMetadata().getName() + violation)).toList();
    assertThat(violations).isEmpty();
    // (the long message was cut to the limit rather than refused)
    Condition imageValidation = Conditions.find(world.sbc("long-name").getStatus().getConditions(),
        ServerBootConfigStatuses.IMAGE_VALIDATION);
    assertThat(imageValidation.getMessage()).hasSize(Conditions.MAX_MESSAGE_LENGTH).endsWith("…");
  }

  private static String state(BootConfigStatus status) {
    return status == null ? null : status.getState();
  }
}
