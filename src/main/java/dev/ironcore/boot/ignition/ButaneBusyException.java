package dev.ironcore.boot.ignition;

/** No Butane translation could be had in time because the translation threads are busy; worth a retry. */
public class ButaneBusyException extends RuntimeException {
  public ButaneBusyException(String message) {
    super(message, null, false, false);
  }
}
