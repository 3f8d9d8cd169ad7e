package dev.ironcore.boot.secrets;

/** What a boot config holds a Secret for: how a 404 may describe it, and where the operator finds its name. */
public enum SecretUse {
  IGNITION("Ignition", "IgnitionSecretReady"),
  IPXE_SCRIPT("iPXE script", "IPXEScriptFetched");

  private final String description;
  private final String condition;

  SecretUse(String description, String condition) {
    this.description = description;
    this.condition = condition;
  }

  String description() {
    return description;
  }

  String condition() {
    return condition;
  }
}
