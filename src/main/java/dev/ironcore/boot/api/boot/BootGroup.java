package dev.ironcore.boot.api.boot;

/** API group and version of the kinds this operator owns. */
public final class BootGroup {
  public static final String NAME = "boot.ironcore.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = NAME + "/" + VERSION;

  private BootGroup() {}
}
