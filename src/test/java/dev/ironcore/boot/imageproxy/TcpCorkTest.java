package dev.ironcore.boot.imageproxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.EpollSocketChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file sent between cork and uncork arrives whole, corked while it goes and uncorked after, on real sockets. */
class TcpCorkTest {
  @TempDir Path dir;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  @AfterEach
  void stopVertx() throws Exception {
    await(vertx.close());
  }

  @Test
  void aFileIsSentCorkedAndTheConnectionIsUncorkedAfterwards() throws Exception {
    // The service's Linux builds carry Netty's native transport: without it there would be no cork
    assertThat(vertx.isNativeTransportEnabled()).isTrue();
    byte[] bytes = new byte[3 * 1024 * 1024 + 5];
    new Random(1).nextBytes(bytes);
    Path file = Files.write(dir.resolve("blob"), bytes);
    List<Boolean> corkedWhileSending = new CopyOnWriteArrayList<>();
    List<Boolean> corkedAfterwards = new CopyOnWriteArrayList<>();
    HttpServer server = await(vertx.createHttpServer().requestHandler(request -> {
      EpollSocketChannel channel = (EpollSocketChannel) ((ConnectionBase) request.connection()).channel();
      Runnable uncork = TcpCork.cork(request.connection());
      corkedWhileSending.add(channel.config().isTcpCork());
      request.response().sendFile(file.toString()).onComplete(sent -> {
        uncork.run();
        corkedAfterwards.add(channel.config().isTcpCork());
      });
    }).listen(0, "127.0.0.1"));

    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    for (int request = 0; request < 2; request++) { // the second on the same, uncorked connection
      HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(answer.body()).isEqualTo(bytes);
    }
    assertThat(corkedWhileSending).containsExactly(true, true);
    assertThat(corkedAfterwards).containsExactly(false, false);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
