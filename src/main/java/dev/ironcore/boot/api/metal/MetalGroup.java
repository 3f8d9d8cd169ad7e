package dev.ironcore.boot.api.metal;

/** metal-operator's API group; we read these kinds and write only the SBC's status. */
public final class MetalGroup {
  public static final String NAME = "metal.ironcore.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = NAME + "/" + VERSION;

  private MetalGroup() {}
}
