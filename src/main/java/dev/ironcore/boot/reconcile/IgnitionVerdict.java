package dev.ironcore.boot.reconcile;

import dev.ironcore.boot.api.boot.BootConfigState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/** What the Ignition Secret check found: whether the config can be Ready, a CamelCase reason, a message. */
public record IgnitionVerdict(boolean ready, String reason, String message) {
  static IgnitionVerdict ready(String reason, String message) {
    return new IgnitionVerdict(true, reason, message);
  }

  static IgnitionVerdict broken(String reason, String message) {
    return new IgnitionVerdict(false, reason, message);
  }

  /** {@code Ready} or {@code Error}. */
  public String state() {
    return ready ? BootConfigState.READY : BootConfigState.ERROR;
  }

  /** The {@code IgnitionSecretReady} condition for a config at {@code generation} (no transition time yet). */
  public Condition condition(Long generation) {
    return new ConditionBuilder()
        .withType(IgnitionSecretConditions.TYPE)
        .withStatus(ready ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }
}
