package dev.ironcore.boot.reconcile.sbc;

import dev.ironcore.boot.api.boot.BootConfigStatus;
import dev.ironcore.boot.api.metal.Server;
import dev.ironcore.boot.api.metal.ServerBootConfiguration;
import dev.ironcore.boot.index.BootConfigIndex;
import dev.ironcore.boot.reconcile.ObjectKeys;
import dev.ironcore.boot.reconcile.StatusWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ServerBootConfiguration controller (COMPAT §9): resolves the image once, creates or updates
 * an IPXEBootConfig and/or an HTTPBootConfig for what it offers, deletes the one it controls for an
 * enabled method the image no longer offers (OURS), and decides the SBC's state once (OURS).
 * Throws, so that the key is retried with backoff, while the Server or the image is not usable (an
 * unusable image deletes nothing: the configs a machine boots from stay until a valid image replaces them).
 */
public class ServerBootConfigReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(ServerBootConfigReconciler.class);

  private final BootConfigIndex index;
  private final BootImages images;
  private final ChildWork children;
  private final StatusWriter statusWriter;
  private final Clock clock = Clock.systemUTC();

  /** How the children are made: what they should look like, and how that is written. */
  public record ChildWork(DesiredBootConfigs desired, ChildConfigs configs) {}

  public ServerBootConfigReconciler(BootConfigIndex index, BootImages images, ChildWork children,
      StatusWriter statusWriter) {
    this.index = index;
    this.images = images;
    this.children = children;
    this.statusWriter = statusWriter;
  }

  /** Reconciles the SBC with key {@code namespace/name} as the informer cache has it now. */
  public void reconcile(String key) {
    String object = ObjectKeys.describe(ServerBootConfiguration.class, key);
    ServerBootConfiguration sbc = index.cached(ServerBootConfiguration.class, key);
    if (sbc == null) {
      LOG.debug("{}: deleted; its boot configs go with it (owner references)", object);
      return;
    }
    String serverName = serverName(sbc);
    Optional<Server> server = serverName == null ? Optional.empty() : index.server(serverName);
    if (server.isEmpty()) {
      write(sbc, ServerBootConfigStatuses.serverMissing(sbc.getStatus(), serverName,
          sbc.getMetadata().getGeneration(), clock.instant()), object);
      throw new IllegalStateException(object + ": " + ServerBootConfigStatuses.serverMissingMessage(serverName));
    }
    ImageOffer offer;
    try {
      offer = images.offer(sbc.getSpec().getImage());
    } catch (ImageValidationException e) {
      write(sbc, ServerBootConfigStatuses.invalidImage(sbc.getStatus(), e.getMessage(),
          sbc.getMetadata().getGeneration(), clock.instant()), object);
      throw new IllegalStateException(object + ": " + e.getMessage(), e);
    }
    List<BootConfigStatus> childStatuses = applyChildren(sbc, server.get(), offer);
    deleteObsoleteChildren(sbc, offer);
    write(sbc, ServerBootConfigStatuses.fromChildren(sbc.getStatus(), childStatuses), object);
  }

  /** The Server the SBC names, or null when it names none. */
  private static String serverName(ServerBootConfiguration sbc) {
    var ref = sbc.getSpec().getServerRef();
    return ref == null || ref.getName() == null || ref.getName().isBlank() ? null : ref.getName();
  }

  private List<BootConfigStatus> applyChildren(ServerBootConfiguration sbc, Server server, ImageOffer offer) {
    List<BootConfigStatus> statuses = new ArrayList<>();
    offer.pxe().ifPresent(layers ->
        statuses.add(children.configs().apply(children.desired().ipxe(sbc, server, offer.image(), layers))));
    offer.uki().ifPresent(uki ->
        statuses.add(children.configs().apply(children.desired().http(sbc, server, offer.image(), uki))));
    return statuses;
  }

  private void deleteObsoleteChildren(ServerBootConfiguration sbc, ImageOffer offer) {
    String why = "image " + offer.image() + " no longer offers its boot method";
    DesiredBootConfigs.obsolete(sbc, offer, children.configs().existing(sbc))
        .forEach(config -> children.configs().delete(config, why));
  }

  private void write(ServerBootConfiguration sbc, Optional<BootConfigStatus> status, String object) {
    status.ifPresent(next -> {
      statusWriter.write(sbc, next);
      LOG.info("{}: state {}", object, next.getState());
    });
  }
}
