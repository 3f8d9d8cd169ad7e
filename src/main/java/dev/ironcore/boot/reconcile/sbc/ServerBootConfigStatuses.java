package dev.ironcore.boot.reconcile.sbc;

import dev.ironcore.boot.api.Conditions;
import dev.ironcore.boot.api.boot.BootConfigState;
import dev.ironcore.boot.api.boot.BootConfigStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The SBC's state, decided once per reconcile from what its image offers (COMPAT §9, OURS): each
 * function returns the status to write, or empty when the SBC already has it.
 */
public final class ServerBootConfigStatuses {
  public static final String IMAGE_VALIDATION = "ImageValidation";
  public static final String VALIDATION_FAILED = "ValidationFailed";
  /** OURS (Go only retries): why an SBC is Pending, present only while its Server is missing. */
  public static final String SERVER_FOUND = "ServerFound";
  public static final String SERVER_NOT_FOUND = "ServerNotFound";
  public static final String NO_SERVER_REF = "NoServerRef";

  private ServerBootConfigStatuses() {}

  /**
   * The Server {@code serverName} (null: none named) is not there (yet): Pending, with
   * {@code ServerFound} False saying which Server and what to do; the other conditions stay.
   */
  public static Optional<BootConfigStatus> serverMissing(BootConfigStatus current, String serverName,
      Long generation, Instant now) {
    Condition condition = new ConditionBuilder().withType(SERVER_FOUND).withStatus("False")
        .withReason(serverName == null ? NO_SERVER_REF : SERVER_NOT_FOUND)
        .withMessage(serverMissingMessage(serverName)).withObservedGeneration(generation).build();
    return changed(current, BootConfigState.PENDING, Conditions.with(conditionsOf(current), condition, now));
  }

  static String serverMissingMessage(String serverName) {
    if (serverName == null) {
      return "spec.serverRef.name is not set: name the Server this configuration boots. It stays Pending until then.";
    }
    return "Server " + serverName + " (spec.serverRef.name) not found; Servers are cluster-scoped: create it or"
        + " correct the name. This configuration stays Pending until the Server exists.";
  }

  /** The image cannot boot this machine: Error with {@code ImageValidation} False saying why. */
  public static Optional<BootConfigStatus> invalidImage(BootConfigStatus current, String message, Long generation,
      Instant now) {
    Condition condition = new ConditionBuilder().withType(IMAGE_VALIDATION).withStatus("False")
        .withReason(VALIDATION_FAILED).withMessage(message).withObservedGeneration(generation).build();
    // the image is only resolved once the Server is found
    List<Condition> kept = conditionsOf(current).stream().filter(c -> !SERVER_FOUND.equals(c.getType())).toList();
    return changed(current, BootConfigState.ERROR, Conditions.with(kept, condition, now));
  }

  /**
   * The image validated and these are the statuses of its children (null for one not reconciled
   * yet): Ready when all are Ready, Error when one is, else Pending. The children's conditions are
   * mirrored; where two children have a condition of one type, the one that is not True wins.
   * {@code ImageValidation} and {@code ServerFound} go: image and Server are fine, a stale failure
   * would only mislead.
   */
  public static Optional<BootConfigStatus> fromChildren(BootConfigStatus current, List<BootConfigStatus> children) {
    Map<String, Condition> mirrored = new LinkedHashMap<>();
    children.stream().filter(Objects::nonNull).flatMap(child -> child.getConditions().stream())
        .forEach(condition -> mirrored.merge(condition.getType(), condition, ServerBootConfigStatuses::worse));
    List<Condition> conditions = new ArrayList<>();
    conditionsOf(current).stream()
        .filter(c -> !IMAGE_VALIDATION.equals(c.getType()) && !SERVER_FOUND.equals(c.getType())
            && !mirrored.containsKey(c.getType()))
        .forEach(conditions::add);
    conditions.addAll(mirrored.values());
    return changed(current, stateOf(children), conditions);
  }

  static String stateOf(List<BootConfigStatus> children) {
    List<String> states = children.stream().map(child -> child == null ? null : child.getState()).toList();
    if (!states.isEmpty() && states.stream().allMatch(BootConfigState.READY::equals)) {
      return BootConfigState.READY;
    }
    return states.contains(BootConfigState.ERROR) ? BootConfigState.ERROR : BootConfigState.PENDING;
  }

  private static Condition worse(Condition first, Condition second) {
    return "True".equals(first.getStatus()) ? second : first;
  }

  private static Optional<BootConfigStatus> changed(BootConfigStatus current, String state, List<Condition> conditions) {
    BootConfigStatus next = new BootConfigStatus();
    next.setState(state);
    next.setConditions(conditions);
    return next.equals(current) ? Optional.empty() : Optional.of(next);
  }

  private static List<Condition> conditionsOf(BootConfigStatus status) {
    return status == null ? List.of() : status.getConditions();
  }
}
