package dev.ironcore.boot.leader;

import dev.ironcore.boot.config.LeaderElection;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;

/**
 * Only the leader reconciles; every replica serves HTTP. Each reconcile route consumes
 * {@code master:controllers:reconcile:<name>}, so its consumer runs only while this pod holds the
 * Lease {@code boot-operator-leader-controllers}. camel-kubernetes counts as candidates only the
 * Running and Ready pods labelled {@code app.kubernetes.io/name=boot-operator}: leadership follows
 * readiness, which is why a stuck controller fails liveness (ControllersAliveCheck).
 */
public final class ControllerLeadership {
  public static final String GROUP = "controllers";
  public static final String LEASE_NAME_PREFIX = "boot-operator-leader";
  public static final Map<String, String> POD_LABELS = Map.of("app.kubernetes.io/name", "boot-operator");
  /** The property the reconcile routes' from URIs start with. */
  public static final String CONSUMER_PREFIX_PROPERTY = "reconcile.consumer-prefix";

  private ControllerLeadership() {}

  /** {@code master:controllers:} with leader election, else nothing. */
  public static String consumerPrefix(LeaderElection election) {
    return election.enabled() ? "master:" + GROUP + ":" : "";
  }

  /**
   * Configured in Java with a KubernetesConfiguration (camel-main 4.17 has no camel.cluster keys, and
   * the no-arg constructor ignores the client settings). Its own client: Camel closes it on stop.
   */
  public static KubernetesClusterService clusterService(LeaderElection election, Config clientConfig) {
    KubernetesConfiguration configuration = new KubernetesConfiguration();
    configuration.setKubernetesClient(new KubernetesClientBuilder().withConfig(clientConfig).build());
    KubernetesClusterService service = new KubernetesClusterService(configuration);
    service.setKubernetesResourcesNamespace(election.namespace());
    service.setPodName(election.podName());
    service.setKubernetesResourceName(LEASE_NAME_PREFIX);
    service.setClusterLabels(POD_LABELS);
    service.setLeaseDurationMillis(election.leaseDuration().toMillis());
    service.setRenewDeadlineMillis(election.renewDeadline().toMillis());
    service.setRetryPeriodMillis(election.retryPeriod().toMillis());
    return service;
  }

  /**
   * Whether this replica leads right now, asked of the cluster view itself: camel-master 4.17 starts a
   * consumer a second after a leadership event without looking again, so a replica that lost the
   * lease meanwhile would reconcile too (seen in LeaderElectionMockTest); the workers check this.
   */
  public static boolean leads(KubernetesClusterService service) {
    try {
      return service.getView(GROUP).getLocalMember().isLeader();
    } catch (Exception notStartedYet) {
      return false;
    }
  }
}
