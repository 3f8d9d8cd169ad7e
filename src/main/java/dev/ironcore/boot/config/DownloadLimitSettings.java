package dev.ironcore.boot.config;

/**
 * How much blob work the image proxy takes on: registry downloads at once (each holds a connection, a
 * thread and memory until its body is read), downloads that may wait for one, blob answers one client
 * address may have under way, and the bytes an answer sent by sendfile may leave unsent in its socket.
 */
public record DownloadLimitSettings(int maxUpstreamDownloads, int maxQueuedDownloads, int maxDownloadsPerClient,
    long unsentBytesPerAnswer) {
  /**
   * 16 downloads, 1,024 waiting, 8 answers per client: a machine boots with a handful, and one address
   * cannot hold every download slot (a slow reader over TLS holds its download's slot). 1 MiB unsent
   * per answer: see {@code imageproxy.SendfileSocket}.
   */
  public static final DownloadLimitSettings DEFAULT = new DownloadLimitSettings(16, 1024, 8, 1024 * 1024);

  /** TCP_NOTSENT_LOWAT is a 32-bit socket option; 1 GiB is far past any use. */
  private static final long MAX_UNSENT_BYTES = 1L << 30;

  static DownloadLimitSettings read(SettingReader read) {
    long unsent = read.bytes("boot.blob-unsent-bytes", String.valueOf(DEFAULT.unsentBytesPerAnswer()));
    if (unsent > MAX_UNSENT_BYTES) {
      throw new InvalidSettingException("boot.blob-unsent-bytes", String.valueOf(unsent),
          "expected at most 1Gi (0: the kernel's net.ipv4.tcp_notsent_lowat)");
    }
    return new DownloadLimitSettings(
        ButaneSettings.count(read, "boot.max-upstream-downloads", DEFAULT.maxUpstreamDownloads()),
        ButaneSettings.count(read, "boot.max-queued-downloads", DEFAULT.maxQueuedDownloads()),
        ButaneSettings.count(read, "boot.max-downloads-per-client", DEFAULT.maxDownloadsPerClient()),
        unsent);
  }
}
