package dev.ironcore.boot.api.boot;

/** Values of {@code status.state} on the boot kinds and on ServerBootConfiguration. */
public final class BootConfigState {
  public static final String READY = "Ready";
  public static final String PENDING = "Pending";
  public static final String ERROR = "Error";

  private BootConfigState() {}
}
