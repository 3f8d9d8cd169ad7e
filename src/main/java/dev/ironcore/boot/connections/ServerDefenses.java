package dev.ironcore.boot.connections;

import dev.ironcore.boot.binding.RecentPairs;
import dev.ironcore.boot.config.HttpDefenseSettings;
import dev.ironcore.boot.net.TrustedProxies;
import io.micrometer.core.instrument.MeterRegistry;

/** One {@link ServerDefense} per port, sharing the record of refusals already logged. */
public final class ServerDefenses {
  private final HttpDefenseSettings settings;
  private final TrustedProxies trustedProxies;
  private final MeterRegistry meters;
  private final RecentPairs logged;

  public ServerDefenses(HttpDefenseSettings settings, TrustedProxies trustedProxies, MeterRegistry meters) {
    this.settings = settings;
    this.trustedProxies = trustedProxies;
    this.meters = meters;
    this.logged = new RecentPairs(settings.refusalLogCapacity());
  }

  /** The defense of the port named {@code server} in metrics and logs. */
  public ServerDefense forPort(String server) {
    return new ServerDefense(server, settings, trustedProxies, meters, logged);
  }
}
