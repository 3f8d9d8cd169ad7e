package dev.ironcore.boot.reconcile;

/** The condition the boot-config controllers own, and its reasons (the delivery conditions are not ours). */
public final class IgnitionSecretConditions {
  public static final String TYPE = "IgnitionSecretReady";

  public static final String NOT_REFERENCED = "NoIgnitionSecretRef";
  public static final String VALID = "IgnitionSecretValid";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String KEY_MISSING = "IgnitionKeyMissing";
  public static final String BUTANE_INVALID = "ButaneTranslationFailed";
  /** Referenced, but {@code boot.max-watched-secrets} Secrets are watched already. */
  public static final String NOT_WATCHED = "SecretWatchLimitReached";

  private IgnitionSecretConditions() {}
}
