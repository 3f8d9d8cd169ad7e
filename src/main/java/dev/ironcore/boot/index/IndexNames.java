package dev.ironcore.boot.index;

/** Names of the informer indexes. */
public final class IndexNames {
  /** Canonical system UUID → boot configs. */
  public static final String BY_UUID = "byUuid";
  /** Canonical IP or MAC → HTTPBootConfigs. */
  public static final String BY_NETWORK_ID = "byNetworkId";
  /** {@code namespace/secretName} → boot configs referencing that Secret. */
  public static final String BY_SECRET = "bySecret";

  /** {@code <canonical UUID> <canonical IP>} → boot configs and Servers giving that machine that address. */
  public static final String BY_MACHINE_ADDRESS = "byMachineAddress";

  private IndexNames() {}
}
