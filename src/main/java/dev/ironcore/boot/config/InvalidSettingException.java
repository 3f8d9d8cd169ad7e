package dev.ironcore.boot.config;

/** A configuration value that cannot be used; the message names the property. */
public class InvalidSettingException extends RuntimeException {
  public InvalidSettingException(String property, String value, String why) {
    super("invalid value '" + value + "' for property " + property + ": " + why);
  }
}
