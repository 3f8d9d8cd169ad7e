package dev.ironcore.boot.delivery;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** A condition about serving a boot config, to be written into that config's status. */
public record Delivery(HasMetadata config, Condition condition) {
  public static final String IPXE_SCRIPT_FETCHED = "IPXEScriptFetched";
  public static final String IGNITION_DATA_FETCHED = "IgnitionDataFetched";
  /** Reason of a delivery condition when the answer went to a client that is not the machine. */
  public static final String UNBOUND_CLIENT = "UnboundClient";

  /** The iPXE script of this config was sent (COMPAT §7). */
  public static Delivery ipxeScript(HasMetadata config) {
    return of(config, IPXE_SCRIPT_FETCHED, "True", "IPXEScriptDelivered",
        "IPXE script has been successfully delivered to the client.");
  }

  /** The Ignition data of this config was sent (COMPAT §7). */
  public static Delivery ignition(HasMetadata config) {
    return of(config, IGNITION_DATA_FETCHED, "True", "IgnitionDataDelivered",
        "Ignition data has been successfully delivered to the client.");
  }

  /** The Ignition data was sent to {@code client}, which is not (or may not be) the machine (client binding). */
  public static Delivery ignitionToUnboundClient(HasMetadata config, String client) {
    return of(config, IGNITION_DATA_FETCHED, "True", UNBOUND_CLIENT, "Ignition data was delivered to " + client
        + ", which is not one of the machine's known addresses.");
  }

  /** The custom iPXE script was sent to {@code client}, which is not (or may not be) the machine. */
  public static Delivery ipxeScriptToUnboundClient(HasMetadata config, String client) {
    return of(config, IPXE_SCRIPT_FETCHED, "True", UNBOUND_CLIENT, "IPXE script was delivered to " + client
        + ", which is not one of the machine's known addresses.");
  }

  /** The config could not be rendered into a script; the message says why. */
  public static Delivery ipxeScriptRefused(HasMetadata config, String why) {
    return of(config, IPXE_SCRIPT_FETCHED, "False", "InvalidScriptValue", why);
  }

  /** The config's custom script Secret or its key is missing; the message names it. */
  public static Delivery ipxeScriptSecretMissing(HasMetadata config, String what) {
    return of(config, IPXE_SCRIPT_FETCHED, "False", "ScriptSecretMissing", what + ".");
  }

  /** True for a successful delivery, false for a refusal. */
  public boolean delivered() {
    return "True".equals(condition.getStatus());
  }

  String key() {
    return config.getKind() + "/" + config.getMetadata().getNamespace() + "/" + config.getMetadata().getName()
        + "/" + condition.getType();
  }

  private static Delivery of(HasMetadata config, String type, String status, String reason, String message) {
    return new Delivery(config, new ConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message).withObservedGeneration(config.getMetadata().getGeneration()).build());
  }
}
