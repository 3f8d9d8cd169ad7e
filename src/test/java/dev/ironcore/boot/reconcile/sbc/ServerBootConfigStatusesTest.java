package dev.ironcore.boot.reconcile.sbc;

import static dev.ironcore.boot.reconcile.sbc.ServerBootConfigStatuses.IMAGE_VALIDATION;
import static dev.ironcore.boot.reconcile.sbc.ServerBootConfigStatuses.SERVER_FOUND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerBootConfigStatusesTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2025-01-01T00:05:00Z");

  @Test
  void readyWhenEveryChildIsReadyAndTheImageValidationFailureIsDropped() {
    BootConfigStatus failed = ServerBootConfigStatuses.invalidImage(null, "not found", 1L, T0).orElseThrow();

    BootConfigStatus next = ServerBootConfigStatuses.fromChildren(failed,
        List.of(child("Ready", ignition("True")), child("Ready", ignition("True")))).orElseThrow();

    assertThat(next.getState()).isEqualTo("Ready");
    assertThat(next.getConditions()).extracting(Condition::getType).containsExactly("IgnitionSecretReady");
  }

  @Test
  void errorWhenOneChildIsInErrorAndItsFailingConditionWins() {
    BootConfigStatus next = ServerBootConfigStatuses.fromChildren(null,
        List.of(child("Ready", ignition("True")), child("Error", ignition("False")))).orElseThrow();

    assertThat(next.getState()).isEqualTo("Error");
    assertThat(Conditions.find(next.getConditions(), "IgnitionSecretReady").getStatus()).isEqualTo("False");
  }

  @Test
  void pendingWhileAChildHasNoStatusYet() {
    BootConfigStatus next = ServerBootConfigStatuses.fromChildren(null,
        Arrays.asList(child("Ready", ignition("True")), null)).orElseThrow();

    assertThat(next.getState()).isEqualTo("Pending");
  }

  @Test
  void anInvalidImageIsAnErrorWithTheMessageAndOtherConditionsKept() {
    BootConfigStatus ready = ServerBootConfigStatuses.fromChildren(null, List.of(child("Ready", ignition("True"))))
        .orElseThrow();

    BootConfigStatus next = ServerBootConfigStatuses.invalidImage(ready, "registry x is not allowed", 3L, T0)
        .orElseThrow();

    assertThat(next.getState()).isEqualTo("Error");
    Condition validation = Conditions.find(next.getConditions(), IMAGE_VALIDATION);
    assertThat(validation.getStatus()).isEqualTo("False");
    assertThat(validation.getReason()).isEqualTo("ValidationFailed");
    assertThat(validation.getMessage()).isEqualTo("registry x is not allowed");
    assertThat(validation.getObservedGeneration()).isEqualTo(3L);
    assertThat(Conditions.find(next.getConditions(), "IgnitionSecretReady")).isNotNull();
  }

  @Test
  void nothingToWriteWhenTheSameDecisionIsMadeAgainLater() {
    BootConfigStatus invalid = ServerBootConfigStatuses.invalidImage(null, "not found", 1L, T0).orElseThrow();
    BootConfigStatus ready = ServerBootConfigStatuses.fromChildren(null, List.of(child("Ready", ignition("True"))))
        .orElseThrow();

    assertThat(ServerBootConfigStatuses.invalidImage(invalid, "not found", 1L, T1)).isEmpty();
    assertThat(ServerBootConfigStatuses.fromChildren(ready, List.of(child("Ready", ignition("True"))))).isEmpty();
    assertThat(ServerBootConfigStatuses.invalidImage(invalid, "registry down", 1L, T1)).isPresent();
  }

  @Test
  void aMissingServerMakesItPendingSaysWhichAndWhatToDoAndKeepsWhatIsKnown() {
    BootConfigStatus invalid = ServerBootConfigStatuses.invalidImage(null, "not found", 1L, T0).orElseThrow();

    BootConfigStatus next = ServerBootConfigStatuses.serverMissing(invalid, "node-7", 2L, T0).orElseThrow();

    assertThat(next.getState()).isEqualTo("Pending");
    Condition why = Conditions.find(next.getConditions(), SERVER_FOUND);
    assertThat(why.getStatus()).isEqualTo("False");
    assertThat(why.getReason()).isEqualTo("ServerNotFound");
    assertThat(why.getMessage()).isEqualTo("Server node-7 (spec.serverRef.name) not found; Servers are"
        + " cluster-scoped: create it or correct the name. This configuration stays Pending until the Server exists.");
    assertThat(why.getObservedGeneration()).isEqualTo(2L);
    assertThat(Conditions.find(next.getConditions(), IMAGE_VALIDATION)).isEqualTo(
        Conditions.find(invalid.getConditions(), IMAGE_VALIDATION));
  }

  @Test
  void aServerStillMissingLaterIsNothingToWrite() {
    BootConfigStatus pending = ServerBootConfigStatuses.serverMissing(null, "node-7", 1L, T0).orElseThrow();

    assertThat(ServerBootConfigStatuses.serverMissing(pending, "node-7", 1L, T1)).isEmpty();
    assertThat(ServerBootConfigStatuses.serverMissing(pending, "node-8", 2L, T1).orElseThrow().getConditions())
        .singleElement().satisfies(why -> {
          assertThat(why.getMessage()).startsWith("Server node-8 ");
          assertThat(why.getLastTransitionTime()).isEqualTo(T0.toString());
        });
  }

  @Test
  void anSbcThatNamesNoServerSaysSo() {
    BootConfigStatus next = ServerBootConfigStatuses.serverMissing(null, null, 1L, T0).orElseThrow();

    Condition why = Conditions.find(next.getConditions(), SERVER_FOUND);
    assertThat(why.getReason()).isEqualTo("NoServerRef");
    assertThat(why.getMessage()).startsWith("spec.serverRef.name is not set");
  }

  @Test
  void theServerConditionGoesOnceTheServerIsFound() {
    BootConfigStatus pending = ServerBootConfigStatuses.serverMissing(null, "node-7", 1L, T0).orElseThrow();

    BootConfigStatus ready = ServerBootConfigStatuses.fromChildren(pending, List.of(child("Ready", ignition("True"))))
        .orElseThrow();
    BootConfigStatus invalid = ServerBootConfigStatuses.invalidImage(pending, "not found", 1L, T1).orElseThrow();

    assertThat(ready.getConditions()).extracting(Condition::getType).containsExactly("IgnitionSecretReady");
    assertThat(invalid.getConditions()).extracting(Condition::getType).containsExactly(IMAGE_VALIDATION);
  }

  private static BootConfigStatus child(String state, Condition... conditions) {
    BootConfigStatus status = new BootConfigStatus();
    status.setState(state);
    status.setConditions(List.of(conditions));
    return status;
  }

  private static Condition ignition(String status) {
    return new ConditionBuilder().withType("IgnitionSecretReady").withStatus(status).withReason("R")
        .withMessage("m").withLastTransitionTime("2025-01-01T00:00:00Z").build();
  }
}
