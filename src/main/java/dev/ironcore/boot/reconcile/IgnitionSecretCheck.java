package dev.ironcore.boot.reconcile;

import static dev.ironcore.boot.reconcile.IgnitionSecretConditions.BUTANE_INVALID;
import static dev.ironcore.boot.reconcile.IgnitionSecretConditions.KEY_MISSING;
import static dev.ironcore.boot.reconcile.IgnitionSecretConditions.NOT_REFERENCED;
import static dev.ironcore.boot.reconcile.IgnitionSecretConditions.SECRET_NOT_FOUND;
import static dev.ironcore.boot.reconcile.IgnitionSecretConditions.VALID;

import dev.ironcore.boot.ignition.ButaneTranslations;
import dev.ironcore.boot.ignition.IgnitionConfigs;
import dev.ironcore.boot.ignition.butane.ButaneException;
import dev.ironcore.boot.secrets.SecretData;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * COMPAT §9: a referenced Ignition Secret must exist and hold key {@code ignition}; OURS: Butane
 * ({@code format: fcos}) must translate, so a broken config shows in status before a machine boots.
 * Messages name the Secret and what is wrong with it, never its contents.
 */
public class IgnitionSecretCheck {
  private final ButaneTranslations butane;

  public IgnitionSecretCheck(ButaneTranslations butane) {
    this.butane = butane;
  }

  /** The verdict for a config whose Secret is not watched because the bound on watched Secrets is reached. */
  public static IgnitionVerdict notWatched(String namespace, LocalObjectReference ref) {
    return IgnitionVerdict.broken(IgnitionSecretConditions.NOT_WATCHED, "Secret " + namespace + "/" + ref.getName()
        + " is not watched: boot.max-watched-secrets Secrets are watched already; raise it.");
  }

  /** The verdict for a config in {@code namespace} naming {@code ref}, given the cached Secret (null: absent). */
  public IgnitionVerdict assess(String namespace, LocalObjectReference ref, Secret secret) {
    if (ref == null || ref.getName() == null || ref.getName().isBlank()) {
      return IgnitionVerdict.ready(NOT_REFERENCED, "No ignitionSecretRef is set.");
    }
    String name = "Secret " + namespace + "/" + ref.getName();
    if (secret == null) {
      return IgnitionVerdict.broken(SECRET_NOT_FOUND, name + " not found.");
    }
    Optional<byte[]> data = SecretData.value(secret, IgnitionConfigs.IGNITION_KEY);
    if (data.isEmpty()) {
      return IgnitionVerdict.broken(KEY_MISSING, name + " has no key " + IgnitionConfigs.IGNITION_KEY + ".");
    }
    if (!IgnitionConfigs.isButane(secret)) {
      return IgnitionVerdict.ready(VALID, name + " holds Ignition data.");
    }
    try {
      butane.translate(secret, data.get());
      return IgnitionVerdict.ready(VALID, name + " holds Butane that translates to Ignition.");
    } catch (ButaneException e) {
      return IgnitionVerdict.broken(BUTANE_INVALID, name + ": Butane translation failed: " + e.summary());
    }
  }
}
