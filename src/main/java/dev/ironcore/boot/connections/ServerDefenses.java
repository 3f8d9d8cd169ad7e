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
  private final ShutdownDrain drain;

  public ServerDefenses(HttpDefenseSettings settings, TrustedProxies trustedProxies, MeterRegistry meters,
      ShutdownDrain drain) {
    this.settings = settings;
    this.trustedProxies = trustedProxies;
    this.meters = meters;
    this.logged = new RecentPairs(settings.refusalLogCapacity());
    this.drain = drain;
  }

  /** The defense of the port named {@code server} in metrics and logs; it serves until the service stops. */
  public ServerDefense forPort(String server) {
    return new ServerDefense(server, settings, trustedProxies, meters, logged, null);
  }

  /** As {@link #forPort}, for a port that serves machines: its connections take part in the shutdown drain. */
  public ServerDefense forServingPort(String server) {
    return new ServerDefense(server, settings, trustedProxies, meters, logged, drain);
  }
}
