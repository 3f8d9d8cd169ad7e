package dev.ironcore.boot.ignition.butane;

/**
 * Bounds the number of nodes decoded. Aliases make a small document expand exponentially ("billion
 * laughs"); no real config comes near the limit, so hitting it means the input is hostile. Decoding
 * also stops here once the thread is interrupted (the service's deadline on a translation).
 */
final class ExpansionBudget {

  static final int MAX_DECODED_NODES = 1_000_000;
  private int remaining = MAX_DECODED_NODES;

  void spend(Position position) {
    if (Thread.currentThread().isInterrupted()) {
      throw new ButaneException("translation interrupted");
    }
    if (--remaining < 0) {
      throw new ButaneException("Error unmarshaling yaml: document contains excessive aliasing"
          + (position == null ? "" : ", " + position));
    }
  }
}
