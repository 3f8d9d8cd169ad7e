package dev.ironcore.boot.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded API server's watches: resumed from before a deletion, they expire instead of missing it. */
class ExpiringWatchCrudDispatcherTest {
  private KubernetesMockServer server;
  private KubernetesClient client;
  private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    server = EmbeddedCluster.startApiServer();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void aWatchResumedFromBeforeADeletionGetsGoneSoThatTheInformerRelists() throws Exception {
    // Given a version a watcher saw, and a deletion after it
    Secret kept = client.resource(Fixtures.secret("kept", Map.of("k", "v"))).create();
    client.resource(Fixtures.secret("deleted", Map.of("k", "v"))).create();
    client.secrets().inNamespace(Fixtures.NAMESPACE).withName("deleted").delete();

    // When the watch resumes from that version (started aside: fabric8's watch() blocks until the
    // watch is set up, and one that ends at once must fail this test, not hang the suite)
    CompletableFuture<Watch> watch = CompletableFuture.supplyAsync(() -> watchSecretsFrom(kept.getMetadata().getResourceVersion()));
    try {
      // Then it ends with 410 Gone (an informer lists again) rather than leave "deleted" in a cache
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("closed: 410");
    } finally {
      watch.thenAccept(Watch::close);
    }
  }

  @Test
  void aWatchResumedAfterTheLastDeletionStartsWithTheCurrentObjects() throws Exception {
    client.resource(Fixtures.secret("gone", Map.of("k", "v"))).create();
    client.secrets().inNamespace(Fixtures.NAMESPACE).withName("gone").delete();
    Secret kept = client.resource(Fixtures.secret("kept", Map.of("k", "v"))).create();

    try (Watch watch = watchSecretsFrom(kept.getMetadata().getResourceVersion())) {
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED kept");
    }
  }

  private Watch watchSecretsFrom(String resourceVersion) {
    return client.secrets().inNamespace(Fixtures.NAMESPACE).watch(
        new ListOptionsBuilder().withResourceVersion(resourceVersion).build(), new Watcher<>() {
          @Override
          public void eventReceived(Action action, Secret secret) {
            seen.add(action + " " + secret.getMetadata().getName());
          }

          @Override
          public void onClose(WatcherException cause) {
            seen.add("closed: " + (cause.isHttpGone() ? "410" : cause.getMessage()));
          }
        });
  }
}
