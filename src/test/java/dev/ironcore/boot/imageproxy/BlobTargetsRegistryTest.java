package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ironcore.boot.config.ImageProxyScopeSettings;
import dev.ironcore.boot.config.ImageProxyScopeSettings.Scope;
import dev.ironcore.boot.net.ClientAddress;
import dev.ironcore.boot.oci.Descriptor;
import dev.ironcore.boot.oci.LayerMediaTypes;
import dev.ironcore.boot.oci.ManifestResolver;
import dev.ironcore.boot.oci.RegistryAllowList;
import dev.ironcore.boot.oci.RegistryClient;
import dev.ironcore.boot.oci.RegistrySettings;
import dev.ironcore.boot.testing.registry.ImagePusher;
import dev.ironcore.boot.testing.registry.TestRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobTargetsRegistryTest {
  private static final String REPO = "ironcore/targets";

  @TempDir Path dir;
  private TestRegistry registry;
  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    registry.close();
  }

  @Test
  void aLayerChosenByMediaTypeComesBackOnTheRequestsEventLoop() throws Exception {
    // Given an image whose manifest the JDK client resolves on its own threads
    registry = TestRegistry.anonymous(dir);
    ImagePusher pusher = new ImagePusher(registry);
    Descriptor kernel = pusher.layer(REPO, LayerMediaTypes.KERNEL, new byte[] {1, 2, 3});
    pusher.image(REPO, "v1", List.of(kernel));
    RegistrySettings settings = RegistrySettings.defaults().withAllowedRegistries(List.of(registry.host()));
    BlobTargets targets = new BlobTargets(new RegistryAllowList(settings),
        new ManifestResolver(new RegistryClient(settings), settings, Clock.systemUTC()), "amd64",
        new ImageProxyScope(new ImageProxyScopeSettings(Scope.ALLOWED_REGISTRIES, 10), new ReferencedLayers(),
            Optional.empty(), new ImageProxyMetrics(new SimpleMeterRegistry())));
    vertx = Vertx.vertx();
    Context requestLoop = vertx.getOrCreateContext();

    // When a request on an event loop asks for the layer by its media type
    CompletableFuture<Thread> loopThread = new CompletableFuture<>();
    CompletableFuture<Thread> answeredOn = new CompletableFuture<>();
    CompletableFuture<BlobTarget> target = new CompletableFuture<>();
    requestLoop.runOnContext(v -> {
      loopThread.complete(Thread.currentThread());
      targets.forClient(BlobRequest.fromImageQuery(
              "imageName=" + registry.host() + "/" + REPO + "&version=v1&layerName=" + LayerMediaTypes.KERNEL), false,
              new ClientAddress("127.0.0.1", "127.0.0.1", false))
          .onComplete(outcome -> {
            answeredOn.complete(Thread.currentThread());
            target.complete(outcome.result());
          });
    });

    // Then the answer comes back on that event loop, where the blob is then opened and streamed
    assertThat(target.get(10, TimeUnit.SECONDS).digest().toString()).isEqualTo(kernel.digest());
    assertThat(answeredOn.get()).isSameAs(loopThread.get());
  }
}
