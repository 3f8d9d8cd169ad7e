package dev.ironcore.boot.leader;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Lease as the Go manager's client-go writes and reads it, as raw JSON fields (no fabric8 model
 * in between): MicroTime timestamps in RFC3339 with six fraction digits in UTC, integer seconds.
 */
final class ClientGoLease {
  static final String MICRO_TIME_PATTERN = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";
  /** Go's metav1.RFC3339Micro, always written in UTC. */
  private static final DateTimeFormatter RFC3339_MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  ClientGoLease(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  static String microTime(Instant time) {
    return RFC3339_MICRO.format(time);
  }

  /**
   * Creates the Lease held by {@code holder}, or takes it over (transitions + 1) as client-go does;
   * a conflict with a concurrent writer is tried again, as client-go's next round would.
   */
  void hold(String holder, int leaseDurationSeconds, Instant now) {
    for (int attempt = 1; ; attempt++) {
      try {
        tryHold(holder, leaseDurationSeconds, now);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private void tryHold(String holder, int leaseDurationSeconds, Instant now) {
    GenericKubernetesResource current = leases().withName(name).get();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("holderIdentity", holder);
    spec.put("leaseDurationSeconds", leaseDurationSeconds);
    spec.put("acquireTime", microTime(now));
    spec.put("renewTime", microTime(now));
    if (current == null) {
      spec.put("leaseTransitions", 0);
      leases().resource(new GenericKubernetesResourceBuilder().withApiVersion("coordination.k8s.io/v1")
          .withKind("Lease").withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
          .addToAdditionalProperties("spec", spec).build()).create();
      return;
    }
    spec.put("leaseTransitions", ((Number) spec(current).getOrDefault("leaseTransitions", 0)).intValue() + 1);
    current.getAdditionalProperties().put("spec", spec);
    leases().resource(current).update();
  }

  /** The holder's renewal: only renewTime changes (an update with the resourceVersion read). */
  void renew(Instant now) {
    GenericKubernetesResource current = leases().withName(name).get();
    spec(current).put("renewTime", microTime(now));
    leases().resource(current).update();
  }

  /** The Lease's spec as stored by the API server, or null when there is no Lease. */
  Map<String, Object> spec() {
    GenericKubernetesResource current = leases().withName(name).get();
    return current == null ? null : spec(current);
  }

  String holder() {
    Map<String, Object> spec = spec();
    return spec == null ? null : (String) spec.get("holderIdentity");
  }

  int transitions() {
    return ((Number) spec().get("leaseTransitions")).intValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource lease) {
    return (Map<String, Object>) lease.getAdditionalProperties().get("spec");
  }

  private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> leases() {
    return client.genericKubernetesResources("coordination.k8s.io/v1", "Lease").inNamespace(namespace);
  }
}
