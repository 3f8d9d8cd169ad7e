package dev.ironcore.boot.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conditions keep to what metav1.Condition admits, so an API server with upstream's CRDs takes them. */
class ConditionsTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final String CLEF = "\uD834\uDD1E"; // one code point, two Java chars

  @Test
  void aMessageOverTheLimitIsCutAndThenHeldAsItIs() {
    // Given a condition whose message is longer than metav1.Condition allows
    Condition wanted = condition("x".repeat(40_000));

    // When it is set
    List<Condition> conditions = Conditions.with(List.of(), wanted, NOW);

    // Then the stored message is at the limit and says it was cut, and setting it again changes nothing
    String stored = conditions.get(0).getMessage();
    assertThat(stored).hasSize(Conditions.MAX_MESSAGE_LENGTH).endsWith("x…");
    assertThat(Conditions.holds(conditions, wanted)).isTrue();
  }

  @Test
  void theLimitCountsCodePointsAndNeverSplitsOne() {
    String atLimit = CLEF.repeat(Conditions.MAX_MESSAGE_LENGTH);
    String overLimit = atLimit + CLEF;

    assertThat(Conditions.with(List.of(), condition(atLimit), NOW).get(0).getMessage()).isEqualTo(atLimit);
    String cut = Conditions.with(List.of(), condition(overLimit), NOW).get(0).getMessage();
    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(Conditions.MAX_MESSAGE_LENGTH);
    assertThat(cut).isEqualTo(CLEF.repeat(Conditions.MAX_MESSAGE_LENGTH - 1) + "…");
  }

  @Test
  void aMissingMessageIsStoredEmptyBecauseTheFieldIsRequired() {
    Condition wanted = condition(null);

    List<Condition> conditions = Conditions.with(List.of(), wanted, NOW);

    assertThat(conditions.get(0).getMessage()).isEmpty();
    assertThat(Conditions.holds(conditions, wanted)).isTrue();
  }

  private static Condition condition(String message) {
    return new ConditionBuilder().withType("IgnitionSecretReady").withStatus("False")
        .withReason("ButaneTranslationFailed").withMessage(message).build();
  }
}
