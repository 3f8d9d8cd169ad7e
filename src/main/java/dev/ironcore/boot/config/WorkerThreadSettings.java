package dev.ironcore.boot.config;

/**
 * Threads kept apart so that probes and boot requests never wait for blob work: the blob cache's own
 * threads (hashing, re-hashing stored blobs after a restart, every file operation of the cache but
 * deletes, which go on one thread more), and the threads that run the health checks of {@code /healthz}
 * and {@code /readyz}. Neither is the Vert.x worker pool that serves {@code /ignition}. And the event
 * loops, which every port's connections share.
 */
public record WorkerThreadSettings(int blobCacheThreads, int healthProbeThreads, int eventLoops) {
  /** 4 blob threads (half of them mostly wait for the disk), 2 probe threads, 2 event loops per core (Vert.x's). */
  public static final WorkerThreadSettings DEFAULT =
      new WorkerThreadSettings(4, 2, 2 * Runtime.getRuntime().availableProcessors());

  static WorkerThreadSettings from(SettingReader read) {
    return new WorkerThreadSettings(
        ButaneSettings.count(read, "boot.blob-cache-threads", DEFAULT.blobCacheThreads()),
        ButaneSettings.count(read, "boot.health-probe-threads", DEFAULT.healthProbeThreads()),
        ButaneSettings.count(read, "boot.event-loops", DEFAULT.eventLoops()));
  }
}
