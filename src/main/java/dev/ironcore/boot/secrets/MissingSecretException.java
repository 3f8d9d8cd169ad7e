package dev.ironcore.boot.secrets;

import dev.ironcore.boot.web.NotFoundException;

/** 404 for a missing Secret or key: the reason is for anyone, {@link #forOperator()} names the Secret. */
public class MissingSecretException extends NotFoundException {
  private final String forOperator;

  MissingSecretException(String forCaller, String forOperator) {
    super(forCaller);
    this.forOperator = forOperator;
  }

  /** What is missing, naming the Secret: for the config's status and the log, never for the answer. */
  public String forOperator() {
    return forOperator;
  }
}
