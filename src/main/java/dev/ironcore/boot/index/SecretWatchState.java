package dev.ironcore.boot.index;

/** Whether the index's answer for a referenced Secret is the API server's. */
public enum SecretWatchState {
  /** Watched and listed once: the cached Secret, or its absence, is current. */
  CURRENT,
  /** Referenced, but its watch has not listed it yet: absence means nothing yet. */
  PENDING,
  /** Referenced, but not watched: {@code boot.max-watched-secrets} Secrets are watched already. */
  REFUSED
}
