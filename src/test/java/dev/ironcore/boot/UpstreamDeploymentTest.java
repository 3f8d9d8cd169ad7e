package dev.ironcore.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ironcore.boot.embedded.ClusterConnection;
import dev.ironcore.boot.testing.MockCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Go installation, unchanged but for the image: the container arguments, ports and probes of
 * upstream's manifests (ironcore-dev/boot-operator at 7ead83e) start this service, which serves, answers
 * its probes and elects. Written out here from:
 * <ul>
 *   <li>{@code config/manager/manager.yaml}: {@code command: /manager}, {@code args: [--leader-elect]},
 *       probes {@code /healthz} and {@code /readyz} on port 8081, no {@code POD_NAMESPACE};
 *   <li>{@code config/default/manager_metrics_patch.yaml}: {@code --metrics-bind-address=:8443} put first;
 *   <li>{@code dist/chart/values.yaml}: {@code args: [--ipxe-service-url=ipxe-service-url]} (a placeholder
 *       Go takes as it is), the same probes.
 * </ul>
 * The ports are upstream's fixed ones (8081-8083, 8443): this test needs them free.
 */
class UpstreamDeploymentTest {
  private static final List<String> KUSTOMIZE_ARGS = List.of("--metrics-bind-address=:8443", "--leader-elect");
  private static final List<String> CHART_ARGS = List.of("--ipxe-service-url=ipxe-service-url");
  private static final Map<String, String> POD_ENV = Map.of("HOSTNAME", "controller-manager-5d8f7c9b4-x2xkq");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void upstreamsArgumentsStartAServiceThatServesAnswersItsProbesAndElects() throws Exception {
    String[] args = Stream.concat(KUSTOMIZE_ARGS.stream(), CHART_ARGS.stream()).toArray(String[]::new);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    BootOperatorMain.Launch launch = BootOperatorMain.prepare(args, POD_ENV, System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(launch.settings()).as(err.toString(StandardCharsets.UTF_8)).isNotNull();

    try (MockCluster cluster = new MockCluster(); KubernetesClient client = cluster.newClient()) {
      BootApplication app = BootApplication.create(launch.settings(), ClusterConnection.external(cluster.newClient()));
      try {
        app.start();
        // its probes answer where the kubelet asks
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(get("http://127.0.0.1:8081/healthz").statusCode()).isEqualTo(200);
          assertThat(get("http://127.0.0.1:8081/readyz").statusCode()).isEqualTo(200);
        });
        // it serves boot requests on 8082 and 8083, with the chart's service URL as given
        HttpResponse<String> chainload = get("http://127.0.0.1:8082/ipxe/");
        assertThat(chainload.statusCode()).isEqualTo(200);
        assertThat(chainload.body()).contains("set ipxe-svc ipxe-service-url");
        assertThat(get("http://127.0.0.1:8083/ipxe/").statusCode()).isEqualTo(200);
        // metrics listen on :8443 as upstream's config/default has them (HTTPS: a plain request gets no metrics)
        try (Socket metrics = new Socket("127.0.0.1", 8443)) {
          assertThat(metrics.isConnected()).isTrue();
        }
        // and it elects on the Go manager's Lease, in the client's namespace (no POD_NAMESPACE upstream)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          Lease lease = client.leases().inNamespace(client.getNamespace()).withName("e9f0940b.ironcore.dev").get();
          assertThat(lease).isNotNull();
          assertThat(lease.getSpec().getHolderIdentity()).startsWith(POD_ENV.get("HOSTNAME") + "_");
        });
      } finally {
        app.stop();
      }
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
