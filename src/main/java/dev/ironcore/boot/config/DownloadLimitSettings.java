package dev.ironcore.boot.config;

/**
 * How much blob work the image proxy takes on: registry downloads at once (each holds a connection, a
 * thread and memory until its body is read), downloads that may wait for one, and blob answers one
 * client address may have under way.
 */
public record DownloadLimitSettings(int maxUpstreamDownloads, int maxQueuedDownloads, int maxDownloadsPerClient) {
  /**
   * 16 downloads, 1,024 waiting, 8 answers per client: a machine boots with a handful, and one address
   * cannot hold every download slot (a slow reader over TLS holds its download's slot).
   */
  public static final DownloadLimitSettings DEFAULT = new DownloadLimitSettings(16, 1024, 8);

  static DownloadLimitSettings read(SettingReader read) {
    return new DownloadLimitSettings(
        ButaneSettings.count(read, "boot.max-upstream-downloads", DEFAULT.maxUpstreamDownloads()),
        ButaneSettings.count(read, "boot.max-queued-downloads", DEFAULT.maxQueuedDownloads()),
        ButaneSettings.count(read, "boot.max-downloads-per-client", DEFAULT.maxDownloadsPerClient()));
  }
}
