package dev.ironcore.boot.binding;

import dev.ironcore.boot.config.ClientBindingSettings;
import dev.ironcore.boot.config.ClientBindingSettings.Mode;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.net.ClientAddress;
import dev.ironcore.boot.web.BootRequests;
import dev.ironcore.boot.web.ForbiddenException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code boot.client-binding}: a machine's secrets (its Ignition, its custom iPXE script) go only to
 * that machine's addresses (see {@link BootConfigIndex#isMachineAddress}). Index lookups only, so it
 * may run on the event loop. A delivery to another client, or to anyone while the machine has no
 * known address, is logged once per machine and client, counted in
 * {@code boot_unbound_deliveries_total{endpoint,reason}} when served and in
 * {@code boot_unbound_refusals_total{endpoint,reason}} when refused with 403.
 */
public class ClientBinding {
  /** The client is not one of the machine's addresses. */
  public static final String NOT_MACHINE_ADDRESS = "not_machine_address";
  /** The machine has no address yet to compare the client with. */
  public static final String NO_KNOWN_ADDRESS = "no_known_address";

  private static final Logger LOG = LoggerFactory.getLogger(ClientBinding.class);

  private final ClientBindingSettings settings;
  private final BootConfigIndex index;
  private final MeterRegistry metrics;
  private final RecentPairs logged;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public ClientBinding(ClientBindingSettings settings, BootConfigIndex index, MeterRegistry metrics) {
    this.settings = settings;
    this.index = index;
    this.metrics = metrics;
    this.logged = new RecentPairs(settings.logCapacity());
  }

  /** What the check found, for the delivery condition. */
  public record Result(Outcome outcome, String client) {
    public boolean unbound() {
      return outcome == Outcome.UNBOUND;
    }
  }

  public enum Outcome {
    /** {@code boot.client-binding=off}: nothing was checked. */
    UNCHECKED,
    /** The client is one of the machine's addresses. */
    BOUND,
    /** Served to a client that is not (or may not be) the machine: audited. */
    UNBOUND
  }

  /**
   * Checks the client of a request for machine {@code uuid}'s secrets: returns when it may be served,
   * throws {@link ForbiddenException} when it may not.
   */
  public Result check(String uuid, Exchange exchange) {
    if (settings.mode() == Mode.OFF) {
      return new Result(Outcome.UNCHECKED, null);
    }
    ClientAddress client = BootRequests.client(exchange, settings.trustedProxies());
    if (index.isMachineAddress(uuid, client.client())) {
      return new Result(Outcome.BOUND, client.client());
    }
    String endpoint = exchange.getFromRouteId();
    boolean known = index.hasKnownAddress(uuid);
    String reason = known ? NOT_MACHINE_ADDRESS : NO_KNOWN_ADDRESS;
    boolean refuse = settings.mode() == Mode.STRICT || (settings.mode() == Mode.ENFORCE && known);
    counter(refuse ? "boot_unbound_refusals_total" : "boot_unbound_deliveries_total", endpoint, reason).increment();
    if (logged.firstTime(uuid + " " + client.client())) {
      LOG.warn("endpoint={} machine={} client={} peer={} reason={}: {} (boot.client-binding={}); logged once per"
              + " machine and client", endpoint, uuid, client.client(), client.peer(), reason,
          refuse ? "refused" : "served", settings.mode().settingValue());
    }
    if (refuse) {
      throw new ForbiddenException(known
          ? "Forbidden: client " + client.client() + " is not an address of machine " + uuid + "; if a proxy or"
              + " load balancer is in between, list it in boot.trusted-proxies or keep client addresses"
              + " (Service externalTrafficPolicy: Local)"
          : "Forbidden: machine " + uuid + " has no known address to check client " + client.client()
              + " against (boot.client-binding=strict); set its systemIPs, networkIdentifiers or Server"
              + " interface addresses");
    }
    return new Result(Outcome.UNBOUND, client.client());
  }

  private Counter counter(String name, String endpoint, String reason) {
    return counters.computeIfAbsent(name + " " + endpoint + " " + reason, key -> Counter.builder(name)
        .description(name.contains("refusals") ? "Requests for a machine's secrets refused by client binding"
            : "Secrets of a machine served to a client that is not one of its known addresses")
        .tags("endpoint", endpoint, "reason", reason)
        .register(metrics));
  }
}
