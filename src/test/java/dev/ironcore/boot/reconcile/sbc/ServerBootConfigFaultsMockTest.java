package dev.ironcore.boot.reconcile.sbc;

import static dev.ironcore.boot.reconcile.sbc.ServerBootConfigStatuses.IMAGE_VALIDATION;
import static dev.ironcore.boot.reconcile.sbc.ServerBootConfigStatuses.SERVER_FOUND;
import static dev.ironcore.boot.testing.Fixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.boot.HTTPBootConfig;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and faults around an SBC: each ends in a state and a message a person can act on. */
class ServerBootConfigFaultsMockTest {
  private static final String MOVED_UUID = "4c4c4544-0000-0000-0000-00000000beef";
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
  void anSbcForAMissingServerIsPendingSayingWhyUntilTheServerAppears() throws Exception {
    // Given an SBC for a Server that does not exist yet
    String repo = pushUki("os/late-server");
    world.createSbc("late", world.image(repo, "1.0"));

    // Then it is Pending, and its status says which Server is missing and what to do
    world.awaitSbc("late", status -> {
      assertThat(status.getState()).isEqualTo("Pending");
      Condition why = Conditions.find(status.getConditions(), SERVER_FOUND);
      assertThat(why).isNotNull();
      assertThat(why.getStatus()).isEqualTo("False");
      assertThat(why.getReason()).isEqualTo("ServerNotFound");
      assertThat(why.getMessage()).startsWith("Server late (spec.serverRef.name) not found").contains("create it");
    });
    assertThat(world.http("late")).isNull();

    // When the Server appears
    world.createServer("late");

    // Then it is Ready and the explanation is gone
    world.awaitSbc("late", status -> {
      assertThat(status.getState()).isEqualTo("Ready");
      assertThat(Conditions.find(status.getConditions(), SERVER_FOUND)).isNull();
    });
  }

  @Test
  void aMalformedReferenceIsAnImageValidationError() {
    world.createServer("malformed");

    world.createSbc("malformed", registry.host() + "/OS/Upper:1.0");

    awaitImageValidation("malformed", "invalid image reference \"" + registry.host()
        + "/OS/Upper:1.0\": the repository name must be lowercase");
  }

  @Test
  void aRegistryThatIsNotAllowedIsAnImageValidationError() {
    world.createServer("elsewhere");

    world.createSbc("elsewhere", "ghcr.io/ironcore-dev/os-images/gardenlinux:1877.0");

    awaitImageValidation("elsewhere", "registry ghcr.io is not allowed");
  }

  @Test
  void anImageThatDoesNotExistIsAnImageValidationError() {
    world.createServer("missing");

    world.createSbc("missing", world.image("os/nothing", "1.0"));

    awaitImageValidation("missing", "not found");
  }

  @Test
  void anIndexWithoutTheArchitectureIsAnImageValidationError() throws Exception {
    String repo = "os/arm-only";
    Descriptor arm = world.pusher.image(repo, null, List.of(world.layer(repo, LayerMediaTypes.UKI, "arm uki")));
    world.pusher.index(repo, "1.0", List.of(ImagePusher.platformEntry(arm, "arm64", Map.of())));
    world.createServer("arm-only");

    world.createSbc("arm-only", world.image(repo, "1.0"));

    awaitImageValidation("arm-only", "failed to find target manifest with architecture amd64");
  }

  @Test
  void anImageWithoutBootLayersIsAnImageValidationError() throws Exception {
    String repo = "os/no-boot";
    world.pusher.image(repo, "1.0", List.of(world.layer(repo, "application/vnd.oci.image.layer.v1.tar", "files")));
    world.createServer("no-boot");

    world.createSbc("no-boot", world.image(repo, "1.0"));

    awaitImageValidation("no-boot", "has no kernel and initrd layers (PXE) and no UKI layer (HTTP boot)");
  }

  @Test
  void aRegistryOutageIsAnErrorUntilTheRegistryIsBack() throws Exception {
    // Given an image, and a registry that then goes down
    String repo = pushUki("os/outage");
    world.createServer("outage");
    registry.close();

    // When
    world.createSbc("outage", world.image(repo, "1.0"));

    // Then Error at once, and Ready once the registry is back on its port
    awaitImageValidation("outage", "unreachable");
    registry = registry.restart();
    world.awaitSbc("outage", status -> {
      assertThat(status.getState()).isEqualTo("Ready");
      assertThat(Conditions.find(status.getConditions(), IMAGE_VALIDATION)).isNull();
    });
  }

  @Test
  void aDeletedIgnitionSecretTurnsTheConfigsAndTheSbcToError() throws Exception {
    String repo = pushUki("os/secretless");
    world.createServer("secretless");
    world.createSbc("secretless", world.image(repo, "1.0"));
    world.awaitState("secretless", "Ready");

    world.client.secrets().inNamespace(NAMESPACE).withName("secretless").delete();

    world.awaitSbc("secretless", status -> {
      assertThat(status.getState()).isEqualTo("Error");
      assertThat(Conditions.find(status.getConditions(), "IgnitionSecretReady").getReason()).isEqualTo("SecretNotFound");
    });
    assertThat(world.http("secretless").getStatus().getState()).isEqualTo("Error");
  }

  @Test
  void aConflictingStatusWriteIsRetriedAndKeepsTheOtherWritersCondition() throws Exception {
    // Given someone else writes the SBC's status just before ours, so that ours conflicts (409); the
    // hook waits for this SBC's status write (other controllers write statuses in the meantime)
    Condition foreign = new ConditionBuilder().withType("SomeoneElses").withStatus("True").withReason("Set")
        .withMessage("by another writer").withLastTransitionTime("2025-01-01T00:00:00Z").build();
    world.beforeNextRequest("PATCH", "/serverbootconfigurations/conflict/status", () -> {
      ServerBootConfiguration latest = world.sbc("conflict");
      latest.setStatus(new BootConfigStatus());
      latest.getStatus().setConditions(List.of(foreign));
      world.client.resource(latest).updateStatus();
    });
    String repo = pushUki("os/conflict");
    world.createServer("conflict");

    // When
    world.createSbc("conflict", world.image(repo, "1.0"));

    // Then
    world.awaitSbc("conflict", status -> {
      assertThat(status.getState()).isEqualTo("Ready");
      assertThat(status.getConditions()).extracting(Condition::getType).contains("SomeoneElses", "IgnitionSecretReady");
    });
    assertThat(world.harness.metrics().counter("boot_reconciles_total", "controller", "serverbootconfig",
        "result", "failure").count()).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void aChildChangedBySomeoneElseBetweenOurReadAndOurWriteIsRetriedNotLost() throws Exception {
    // Given a Ready SBC with an HTTPBootConfig for the UKI of image 1.0
    String repo = pushUki("os/contested");
    Descriptor newUki = world.layer(repo, LayerMediaTypes.UKI, "uki 2.0");
    world.pusher.image(repo, "2.0", List.of(newUki));
    world.createServer("contested");
    world.createSbc("contested", world.image(repo, "1.0"));
    world.awaitState("contested", "Ready");

    // And someone else changes that config just before our update of it goes out, so that ours conflicts (409)
    AtomicBoolean interfered = new AtomicBoolean();
    world.beforeNextRequest("PUT", "/httpbootconfigs/contested", () -> {
      world.client.resources(HTTPBootConfig.class).inNamespace(NAMESPACE).withName("contested").edit(config -> {
        config.getMetadata().getLabels().put("team", "infra");
        config.getSpec().setUkiURL("http://elsewhere.example/other.efi");
        return config;
      });
      interfered.set(true);
    });

    // When the SBC moves to image 2.0
    double failuresBefore = reconcileFailures();
    world.changeImage("contested", world.image(repo, "2.0"));

    // Then our update is retried on the latest version: the desired spec wins and the other writer's label stays
    await().atMost(SbcWorld.WAIT).untilAsserted(() -> {
      HTTPBootConfig config = world.http("contested");
      assertThat(config.getSpec().getUkiURL()).endsWith(newUki.digest().replace(':', '-') + ".efi");
      assertThat(config.getMetadata().getLabels()).containsEntry("team", "infra");
    });
    assertThat(interfered).isTrue();
    assertThat(reconcileFailures()).as("the conflicting reconcile failed and was retried").isGreaterThan(failuresBefore);
    world.awaitState("contested", "Ready");
  }

  @Test
  void changesMadeWhileTheControllersWereCutOffFromTheApiConvergeOnceTheirWatchesAreBack() throws Exception {
    // Given three Ready SBCs, and a Server that has none yet
    String image = world.image(pushUki("os/cut-off"), "1.0");
    List<String> ready = List.of("moved", "secretless", "childless");
    for (String name : ready) {
      world.createServer(name);
      world.createSbc(name, image);
    }
    world.createServer("newcomer");
    ready.forEach(name -> world.awaitState(name, "Ready"));

    // When the controllers lose the API server, their watches with it, and meanwhile someone else
    // creates an SBC, changes a Server's UUID, deletes an Ignition Secret and deletes a boot config
    assertThat(world.apiLink.cut()).as("connections cut, one watch per informer among them").isGreaterThanOrEqualTo(5);
    world.createSbc("newcomer", image);
    world.client.resources(Server.class).withName("moved").edit(server -> {
      server.getSpec().setSystemUUID(MOVED_UUID);
      return server;
    });
    world.client.secrets().inNamespace(NAMESPACE).withName("secretless").delete();
    world.client.resources(HTTPBootConfig.class).inNamespace(NAMESPACE).withName("childless").delete();
    world.apiLink.restore();

    // Then, once the watches are back, the index and the children catch up with every change
    world.awaitState("newcomer", "Ready");
    assertThat(world.http("newcomer")).isNotNull();
    await().atMost(SbcWorld.WAIT).untilAsserted(() ->
        assertThat(world.http("moved").getSpec().getSystemUUID()).isEqualTo(MOVED_UUID));
    world.awaitSbc("secretless", status -> {
      assertThat(status.getState()).isEqualTo("Error");
      assertThat(Conditions.find(status.getConditions(), "IgnitionSecretReady").getReason()).isEqualTo("SecretNotFound");
    });
    assertThat(world.harness.index().secret(NAMESPACE, "secretless")).isEmpty();
    await().atMost(SbcWorld.WAIT).untilAsserted(() -> assertThat(world.http("childless")).isNotNull());
    world.awaitState("childless", "Ready");
  }

  private double reconcileFailures() {
    return world.harness.metrics().counter("boot_reconciles_total", "controller", "serverbootconfig",
        "result", "failure").count();
  }

  private String pushUki(String repo) throws Exception {
    world.pusher.image(repo, "1.0", List.of(world.layer(repo, LayerMediaTypes.UKI, repo + " uki")));
    return repo;
  }

  private void awaitImageValidation(String name, String messagePart) {
    world.awaitSbc(name, status -> {
      assertThat(status.getState()).isEqualTo("Error");
      Condition condition = Conditions.find(status.getConditions(), IMAGE_VALIDATION);
      assertThat(condition).isNotNull();
      assertThat(condition.getStatus()).isEqualTo("False");
      assertThat(condition.getReason()).isEqualTo("ValidationFailed");
      assertThat(condition.getMessage()).contains(messagePart);
    });
  }
}
