package dev.ironcore.boot.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.api.boot.BootConfigStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootConfigStatusesTest {
  private static final Instant EARLIER = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Condition DELIVERED = new ConditionBuilder().withType("IgnitionDataFetched")
      .withStatus("True").withReason("IgnitionDataDelivered").withMessage("m").withLastTransitionTime("2025-02-02T00:00:00Z")
      .build();

  private final IgnitionVerdict ready = IgnitionVerdict.ready(IgnitionSecretConditions.VALID, "ok");
  private final IgnitionVerdict missing = IgnitionVerdict.broken(IgnitionSecretConditions.SECRET_NOT_FOUND, "gone");

  @Test
  void aFreshConfigGetsStateAndCondition() {
    BootConfigStatus next = BootConfigStatuses.update(null, ready.state(), ready.condition(1L), NOW).orElseThrow();

    assertThat(next.getState()).isEqualTo("Ready");
    assertThat(next.getConditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("IgnitionSecretReady");
      assertThat(c.getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
    });
  }

  @Test
  void nothingIsWrittenWhenStateAndConditionAreAlreadyThereWhateverTheirTime() {
    BootConfigStatus current = status("Ready", ready.condition(1L), EARLIER);

    assertThat(BootConfigStatuses.update(current, ready.state(), ready.condition(1L), NOW)).isEmpty();
  }

  @Test
  void aNewGenerationIsWrittenButKeepsTheTransitionTime() {
    BootConfigStatus current = status("Ready", ready.condition(1L), EARLIER);

    BootConfigStatus next = BootConfigStatuses.update(current, ready.state(), ready.condition(2L), NOW).orElseThrow();

    Condition ours = next.getConditions().stream().filter(c -> c.getType().equals("IgnitionSecretReady")).findFirst()
        .orElseThrow();
    assertThat(ours.getObservedGeneration()).isEqualTo(2L);
    assertThat(ours.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void aFlipToErrorChangesStateAndTransitionTimeAndKeepsConditionsOfOthers() {
    BootConfigStatus current = status("Ready", ready.condition(1L), EARLIER);

    BootConfigStatus next = BootConfigStatuses.update(current, missing.state(), missing.condition(1L), NOW)
        .orElseThrow();

    assertThat(next.getState()).isEqualTo("Error");
    assertThat(next.getConditions()).extracting(Condition::getType)
        .containsExactlyInAnyOrder("IgnitionDataFetched", "IgnitionSecretReady");
    assertThat(next.getConditions()).filteredOn(c -> c.getType().equals("IgnitionDataFetched")).containsExactly(DELIVERED);
    assertThat(next.getConditions()).filteredOn(c -> c.getType().equals("IgnitionSecretReady")).singleElement()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getLastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");
        });
  }

  @Test
  void aStateChangedBySomeoneElseIsPutBack() {
    BootConfigStatus current = status("Pending", ready.condition(1L), EARLIER);

    assertThat(BootConfigStatuses.update(current, ready.state(), ready.condition(1L), NOW))
        .hasValueSatisfying(next -> assertThat(next.getState()).isEqualTo("Ready"));
  }

  private static BootConfigStatus status(String state, Condition ours, Instant since) {
    BootConfigStatus status = new BootConfigStatus();
    status.setState(state);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(DELIVERED);
    conditions.add(new ConditionBuilder(ours).withLastTransitionTime(since.toString()).build());
    status.setConditions(conditions);
    return status;
  }
}
